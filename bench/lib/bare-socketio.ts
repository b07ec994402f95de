/**
 * The fan-out ceiling: a bare Socket.IO server with no auth, database or business logic. Each socket
 * joins a room named by its handshake token; POST /emit sends `new-order` with the posted payload to
 * every such room one by one, as the API does for each nearby electrician.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const rooms = new Set<string>();
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const { orderId, orderInfo } = JSON.parse(body) as { orderId: number; orderInfo: Record<string, unknown> };
    for (const room of rooms) io.to(room).emit('new-order', { orderId, orderInfo: { ...orderInfo, distanceKm: 1.2 } });
    res.setHeader('content-type', 'application/json');
    res.end('{"success":true,"data":{}}');
  });
});
const io = new Server(server, { serveClient: false });
io.on('connection', (socket) => {
  const room = `user:${String((socket.handshake.auth as { token?: string }).token)}`;
  rooms.add(room);
  void socket.join(room);
  socket.on('disconnect', () => rooms.delete(room));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  void io.close();
  process.exit(0);
});
