// Client-side check of uploads, mirroring the server's limits.
const TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const MAX_BYTES = 10 * 1024 * 1024;

export const ACCEPT = Object.keys(TYPES)
  .map((e) => '.' + e)
  .join(',');

/** The content type to upload the file with, or null if it is not allowed. */
export function fileType(f: File): string | null {
  if (f.type && Object.values(TYPES).includes(f.type)) return f.type;
  return TYPES[(f.name.split('.').pop() || '').toLowerCase()] || null;
}

export const isImage = (type: string) => /^image\/(png|jpeg|gif|webp)$/.test(type);
