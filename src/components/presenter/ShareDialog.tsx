// Share: the link holds the whole config, the compare set, the open lesson and presenter
// settings; "Copy link" puts it on the clipboard, and a QR code lets a class open it from the
// projector. Both are made in the page (qrcode-generator), offline.
import qrcode from 'qrcode-generator';
import { useState } from 'react';
import { withAskParam } from '../../predict/askLink';
import { QuestionBuilder } from '../predict/QuestionBuilder';
import { setShare, usePresenterStore } from './presenterStore';

/** The QR modules of `text` (auto size, low error correction: long links still fit). */
export function qrMatrix(text: string): boolean[][] {
  const qr = qrcode(0, 'L');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

export function QrCode({ text, size = 280 }: { text: string; size?: number }) {
  const m = qrMatrix(text);
  const n = m.length + 8; // 4-module quiet zone
  return (
    <svg
      viewBox={`0 0 ${n} ${n}`}
      width={size}
      height={size}
      role="img"
      aria-label="QR code of this link"
      data-testid="qr"
      shapeRendering="crispEdges"
    >
      <rect width={n} height={n} fill="#fff" />
      <path
        fill="#000"
        d={m.flatMap((row, r) => row.map((dark, c) => (dark ? `M${c + 4} ${r + 4}h1v1h-1z` : ''))).join('')}
      />
    </svg>
  );
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // clipboard permission refused (e.g. not a secure context): select the text field instead
    return false;
  }
}

export function ShareDialog() {
  const open = usePresenterStore((s) => s.share);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'select'>('idle');
  // a question written into the link (predict, then run); undefined: the page's own link as it is
  const [ask, setAsk] = useState<string | null | undefined>(undefined);
  if (!open) return null;
  const link = ask === undefined ? location.href : withAskParam(location.href, ask);
  return (
    <div className="modal-backdrop">
      <dialog open className="modal share" aria-labelledby="share-title">
        <h2 id="share-title">Share this experiment</h2>
        <p className="muted">
          The link holds the whole configuration, the compare set, the open lesson and presenter settings.
        </p>
        <QuestionBuilder onChange={setAsk} />
        <div className="share-row">
          <input
            readOnly
            value={link}
            aria-label="Link"
            data-testid="share-link"
            onFocus={(e) => e.currentTarget.select()}
            id="share-link"
          />
          <button
            type="button"
            className="btn primary"
            data-testid="copy-link"
            onClick={async () => {
              const ok = await copy(link);
              setCopied(ok ? 'copied' : 'select');
              if (!ok) (document.getElementById('share-link') as HTMLInputElement | null)?.select();
            }}
          >
            Copy link
          </button>
        </div>
        <p role="status" className="muted">
          {copied === 'copied'
            ? 'Copied to the clipboard.'
            : copied === 'select'
              ? 'Press Ctrl+C to copy the selected link.'
              : ''}
        </p>
        <QrCode text={link} />
        <div className="modal-actions">
          <button type="button" className="btn" onClick={() => setShare(false)}>
            Close
          </button>
        </div>
      </dialog>
    </div>
  );
}
