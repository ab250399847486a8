/**
 * pm2 process file. `pm2 start ecosystem.config.cjs --env production`.
 *
 * Several processes share rooms through the Socket.IO Redis adapter (REDIS_URL)
 * and talk websocket-only, so no sticky sessions are needed (pm2 is the cluster
 * master). Several processes need a shared store: STORE=aws (DynamoDB, or
 * DYNAMODB_ENDPOINT pointing at one shared DynamoDB Local) and a JWT_SECRET.
 * See README.md, "Deploy with pm2".
 *
 * The `mailer` app (server/mailer-main.ts: SQS queue behind SNS_TOPIC_ARN → SES) is listed
 * only when MAIL_QUEUE_URL is set in the environment pm2 starts from; one instance is enough
 * (SQS hands each message to one receiver; more instances would only share the queue).
 */
const mailer = {
  name: 'mailer',
  script: 'server/mailer-main.ts',
  interpreter: 'node',
  node_args: '--import tsx',
  exec_mode: 'fork',
  instances: 1,
  wait_ready: true, // mailer-main.ts calls process.send('ready') once it polls
  listen_timeout: 30000,
  // A long poll lasts up to 20 s; the batch in hand finishes, then it exits.
  kill_timeout: 30000,
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  // Set in the host's environment: MAIL_QUEUE_URL, MAIL_FROM (an SES-verified identity), AWS_REGION.
};

module.exports = {
  apps: [
    {
      name: 'movie-magic',
      script: 'server/main.ts',
      interpreter: 'node',
      node_args: '--import tsx',
      exec_mode: 'cluster',
      instances: process.env.WEB_CONCURRENCY || 1,
      wait_ready: true, // main.ts calls process.send('ready') once it listens
      listen_timeout: 120000,
      // SIGINT, then SIGKILL after this long: more than SHUTDOWN_GRACE_SECONDS (10 s), in which
      // the server turns new work away and lets started confirms finish and answer.
      kill_timeout: 20000,
      max_memory_restart: '1G',
      env: {
        NODE_ENV: 'development',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      env_production: {
        NODE_ENV: 'production',
        STORE: 'aws',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        // Set in the host's environment: AWS_REGION, TABLE_PREFIX, JWT_SECRET,
        // REDIS_URL, SNS_TOPIC_ARN (or SMTP_URL), PUBLIC_URL (https://...).
      },
    },
    ...(process.env.MAIL_QUEUE_URL ? [mailer] : []),
  ],
};
