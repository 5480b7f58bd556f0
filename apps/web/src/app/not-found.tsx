import { Notice } from "@/components/Notice";

export default function NotFound() {
  return (
    <Notice title="Not found">
      There is nothing at this address. It may have been deleted, or the link may be mistyped.
    </Notice>
  );
}
