import Fastify from 'fastify';

// The baseline: a bare Fastify route with no logging, auth or store.
const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`Orrery is listening on ${address}\n`);
