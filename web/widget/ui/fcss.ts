// Form fields' CSS (labels, inputs, errors, the secondary button), used only by the
// lazy chunks (forms, end of chat): each adds it with its own.
export const FCSS = `.fd label{display:block;font-size:12.5px;font-weight:600;color:#374151;margin-bottom:5px}
.in{display:block;width:100%;border:1px solid #d1d5db;border-radius:10px;padding:9px 12px;background:#fff;outline:0;font-size:14px;transition:border-color .15s,box-shadow .15s}
textarea.in{resize:vertical;min-height:76px}
.in:focus{border-color:var(--c);box-shadow:0 0 0 3px var(--cs)}
.in[aria-invalid]{border-color:#dc2626}
.er{color:#b91c1c;font-size:12px;margin-top:4px}
.er:empty{display:none}
.bt2{background:#fff;color:#111827;border:1px solid #d1d5db;width:auto;padding:0 28px;margin-top:8px}
`;
