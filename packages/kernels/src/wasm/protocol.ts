/**
 * Numbers shared by the TypeScript host and the AssemblyScript kernels (assembly/ imports this
 * file too, so it must stay plain `export const NAME = integer` lines): dtype, op and kernel
 * codes, and the layout of the task block through which every kernel receives its arguments.
 */

// ---- dtypes
export const DT_F32 = 0;
export const DT_I32 = 1;
export const DT_BOOL = 2;

// ---- unary ops (same order as UnaryOp)
export const U_NEG = 0;
export const U_EXP = 1;
export const U_LOG = 2;
export const U_SQRT = 3;
export const U_RSQRT = 4;
export const U_ABS = 5;
export const U_SIGN = 6;
export const U_TANH = 7;
export const U_SIGMOID = 8;
export const U_RELU = 9;
export const U_ERF = 10;
export const U_SIN = 11;
export const U_COS = 12;
export const U_FLOOR = 13;
export const U_CEIL = 14;
export const U_ROUND = 15;
export const U_SQUARE = 16;
export const U_RECIPROCAL = 17;
export const U_LOGICAL_NOT = 18;
export const U_LEAKY_RELU = 19;
export const U_CLAMP = 20;
export const U_POW_SCALAR = 21;
export const U_GELU = 22;

// ---- binary ops (same order as BinaryOp)
export const B_ADD = 0;
export const B_SUB = 1;
export const B_MUL = 2;
export const B_DIV = 3;
export const B_POW = 4;
export const B_MAXIMUM = 5;
export const B_MINIMUM = 6;
export const B_EQ = 7;
export const B_NE = 8;
export const B_LT = 9;
export const B_LE = 10;
export const B_GT = 11;
export const B_GE = 12;
export const B_AND = 13;
export const B_OR = 14;
export const B_XOR = 15;

// ---- reductions (same order as ReduceOp)
export const R_SUM = 0;
export const R_PROD = 1;
export const R_MAX = 2;
export const R_MIN = 3;
export const R_ARGMAX = 4;
export const R_ARGMIN = 5;

// ---- kernels: the task block's K slot says which one to run
export const K_FILL = 1;
export const K_CAST = 2;
export const K_COPY = 3;
export const K_WRITE_VIEW = 4;
export const K_UNARY = 5;
export const K_BINARY = 6;
export const K_WHERE = 7;
export const K_REDUCE = 8;
export const K_SOFTMAX = 9;
export const K_MATMUL = 10;
export const K_GATHER = 11;
export const K_SCATTER_ADD = 12;
export const K_INDEX_SELECT = 13;
export const K_INDEX_ADD = 14;
export const K_IM2COL = 15;
export const K_COL2IM = 16;
export const K_RANDOM = 17;
export const K_FIRST_BAD_INDEX = 18;
export const K_BINARY_SCALAR = 19;
export const K_ADAM = 20;
export const K_SGD = 21;
export const K_RMSPROP = 22;

// ---- task block: f64 slots at task + 8 * slot, then an i32 view table at task + VIEWS_AT
export const T_KERNEL = 0;
export const T_SCRATCH = 1;
/** Kernel parameters start here: slots T_P .. T_P + 23. */
export const T_P = 2;
export const T_RESULT = 30;
export const VIEWS_AT = 256;
/** Dims a view table can hold (after merging dims the engine's views rarely need more than 4). */
export const MAX_DIMS = 16;
/** i32 slots per view in the table: the offset, then MAX_DIMS strides. */
export const VIEW_SLOTS = 17;
export const TASK_BYTES = 1024;

// ---- control block (i32 slots, used with Atomics by the host and the workers)
export const C_SEQ = 0;
export const C_DONE = 1;
export const C_THREADS = 2;
export const C_STOP = 3;
export const C_ERROR = 4;
export const C_TASK = 5;
export const CONTROL_BYTES = 64;

// ---- per-thread scratch (bytes from the thread's scratch base)
export const S_SPLAT = 0;
export const S_TILE = 64;
export const S_ACC = 256;
/** f64 accumulators per block of columns in column reductions and softmax. */
export const ACC_LEN = 1024;
export const S_ACC2 = 8448;
export const S_PACK_A = 16640;
export const S_PACK_B = 147712;
export const SCRATCH_BYTES = 1196288;

// ---- matmul blocking (micro-tile MR x NR, blocks MC x KC of A and KC x NC of B)
export const MM_MR = 4;
export const MM_NR = 8;
export const MM_MC = 64;
export const MM_KC = 512;
export const MM_NC = 512;
