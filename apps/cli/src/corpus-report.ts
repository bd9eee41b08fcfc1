// Human-readable lines about what the corpus reader met in real files (BOM, CRLF, bytes that were not UTF-8),
// so a user sees what was replaced instead of silently training on altered text.
import type { CorpusReport } from '@bertkit/pretraining/node';

export function formatCorpusReport(report: CorpusReport): string[] {
  const lines = [`corpus: ${report.files.length} file(s), ${report.bytes} bytes, ${report.documents} documents, ${report.sentences} sentences`];
  for (const f of report.files) {
    const notes: string[] = [];
    if (f.bom) notes.push('UTF-8 BOM removed');
    if (f.crlf > 0) notes.push(`${f.crlf} CRLF line ending(s) read as LF`);
    if (f.invalidBytes > 0) {
      const where = f.firstInvalid
        .slice(0, 3)
        .map((b) => `line ${b.line} byte 0x${b.byte.toString(16).padStart(2, '0')} → ${JSON.stringify(b.decodedAs)}`)
        .join(', ');
      notes.push(`${f.invalidBytes} byte(s) not valid UTF-8 replaced (${where}${f.invalidBytes > 3 ? ', …' : ''})`);
    }
    if (f.droppedLines > 0) notes.push(`${f.droppedLines} header/footer line(s) dropped`);
    if (notes.length > 0) lines.push(`  ${f.path}: ${notes.join('; ')}`);
  }
  if (report.files.every((f) => !f.bom && f.crlf === 0 && f.invalidBytes === 0 && f.droppedLines === 0)) lines.push('  nothing replaced');
  return lines;
}
