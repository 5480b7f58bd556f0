import type { Metadata } from "next";
import Link from "next/link";
import { DeleteModelButton } from "@/components/models/DeleteModelButton";
import { UploadModelForm } from "@/components/models/UploadModelForm";
import { formatDate } from "@/lib/format";
import { serverApi } from "@/server/api/server-caller";
import { getAppServices } from "@/server/app-services";
import { formatBytes } from "@/server/limits";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  const models = await (await serverApi()).models.list();
  const limit = formatBytes((await getAppServices()).limits.modelBytes);
  return (
    <>
      <h1>Models</h1>
      <p className="lead">
        Models your notebooks saved with <code>models.save("name", model)</code>. Load one in any of
        your notebooks with <code>await models.load("name")</code>, or download it: it is a
        safetensors file that PyTorch reads.
      </p>
      {models.length === 0 ? (
        <div className="empty">
          <p>
            No models yet. Train one in a notebook and save it with{" "}
            <code>await models.save("digits-mlp", model, {"{ metrics: { accuracy } }"})</code>, or
            upload a <code>.safetensors</code> file below.
          </p>
        </div>
      ) : (
        <ul className="model-list">
          {models.map((model) => {
            const href = `/api/models/${encodeURIComponent(model.name)}`;
            const metrics = Object.entries(model.metrics);
            return (
              <li key={model.name} className="card model-card">
                <div className="model-main">
                  <span className="card-title">{model.name}</span>
                  <span className="card-text">
                    {formatBytes(model.bytes)} · version {model.version} · saved{" "}
                    {formatDate(model.updatedAt)}
                    {model.notebook && (
                      <>
                        {" "}
                        · from <Link href={`/n/${model.notebook.id}`}>{model.notebook.title}</Link>
                      </>
                    )}
                  </span>
                  {model.architecture && (
                    <code className="model-architecture">{model.architecture}</code>
                  )}
                  {metrics.length > 0 && (
                    <span className="card-text model-metrics">
                      {metrics.map(([key, value]) => (
                        <span key={key}>
                          {key} <strong>{formatMetric(value)}</strong>
                        </span>
                      ))}
                    </span>
                  )}
                </div>
                <span className="action">
                  <a
                    href={href}
                    download={`${model.name}.safetensors`}
                    className="button secondary small"
                  >
                    Download
                  </a>
                  <DeleteModelButton name={model.name} />
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <UploadModelForm limit={limit} />
    </>
  );
}

function formatMetric(value: number | string | boolean): string {
  if (typeof value !== "number" || Number.isInteger(value)) return String(value);
  return value.toPrecision(4).replace(/\.?0+$/, "");
}
