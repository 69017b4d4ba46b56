// The container's health check, in node because the slim image has no curl.
// `api` (the image's default): GET /health/ready answers 200, PostgreSQL and Redis answering.
// `worker`: GET /metrics answers 200 on STEPWISE_WORKER_METRICS_PORT (the worker has no other HTTP).
const http = require('node:http');

const role = process.argv[2] ?? 'api';
const [port, path] =
  role === 'worker'
    ? [process.env.STEPWISE_WORKER_METRICS_PORT || '9464', '/metrics']
    : [process.env.PORT || '3000', '/health/ready'];

const fail = (why) => {
  process.stderr.write(`${role} unhealthy: ${why}\n`);
  process.exit(1);
};

const request = http.get({ host: '127.0.0.1', port: Number(port), path, timeout: 4000 }, (response) => {
  response.resume();
  if (response.statusCode === 200) {
    process.exit(0);
  }
  fail(`GET ${path} answered ${response.statusCode}`);
});
request.on('timeout', () => request.destroy(new Error(`GET ${path} timed out`)));
request.on('error', (error) => fail(error.message));
