export interface LessonFile {
  readonly slug: string;
  readonly title: string;
  readonly description: string;
  readonly order: number;
  readonly tags: readonly string[];
  readonly markdown: string;
}

export function readLessons(dir?: string): LessonFile[];
export function readData(dir?: string): { iris: Uint8Array; wine: Uint8Array; digits: Uint8Array };
export function embed(): void;
