/// <reference types="node" />
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const SERVER = fs.readFileSync(path.join(root, 'api/src/realtime/events.ts'), 'utf8');
const MIRROR = fs.readFileSync(path.join(root, 'miniprogram/services/realtime-events.ts'), 'utf8');
/** Types only the server uses (Socket.IO server generics); everything else must be mirrored. */
const SERVER_ONLY = new Set(['InterServerEvents', 'SocketData']);

/** Every exported interface and type alias, printed without comments or formatting differences. */
function declarations(source: string): Map<string, string> {
  const file = ts.createSourceFile('events.ts', source, ts.ScriptTarget.ES2020, true);
  const printer = ts.createPrinter({ removeComments: true });
  const out = new Map<string, string>();
  for (const node of file.statements) {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node))
      out.set(node.name.text, printer.printNode(ts.EmitHint.Unspecified, node, file));
  }
  return out;
}

/** Where the mirror differs from the server's contract: missing, extra or changed declarations. */
function contractDiff(server: string, mirror: string): string[] {
  const s = declarations(server);
  const m = declarations(mirror);
  const problems: string[] = [];
  for (const [name, text] of s) {
    if (SERVER_ONLY.has(name)) continue;
    if (!m.has(name)) problems.push(`missing ${name}`);
    else if (m.get(name) !== text) problems.push(`changed ${name}`);
  }
  for (const name of m.keys()) if (!s.has(name)) problems.push(`extra ${name}`);
  return problems;
}

describe('the mini-program realtime contract', () => {
  it('when compared with api/src/realtime/events.ts, then every event, payload and field agrees', () => {
    expect(contractDiff(SERVER, MIRROR)).toEqual([]);
    const names = [...declarations(MIRROR).keys()];
    expect(names).toEqual(expect.arrayContaining(['ServerToClientEvents', 'ClientToServerEvents', 'NewOrderPush', 'Ack']));
  });

  it('when the server renames a payload field or adds an event, then the comparison reports it', () => {
    const renamedField = SERVER.replace('expiresAt: string;', 'expiresAtMs: number;');
    expect(contractDiff(renamedField, MIRROR)).toEqual(['changed DispatchOfferPush']);
    const newEvent = SERVER.replace(
      "'payment-success':",
      "'order-reminder': (payload: { orderId: number }) => void;\n  'payment-success':",
    );
    expect(contractDiff(newEvent, MIRROR)).toEqual(['changed ServerToClientEvents']);
    const newPayload = `${SERVER}\nexport interface RatingPush { electricianId: number }\n`;
    expect(contractDiff(newPayload, MIRROR)).toEqual(['missing RatingPush']);
  });
});
