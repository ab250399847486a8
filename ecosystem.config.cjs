/**
 * pm2 process file. `pm2 start ecosystem.config.cjs --env production`.
 *
 * Several processes share rooms through the Socket.IO Redis adapter (REDIS_URL)
 * and talk websocket-only, so no sticky sessions are needed (pm2 is the cluster
 * master). Several processes need a shared store: STORE=aws (DynamoDB, or
 * DYNAMODB_ENDPOINT pointing at one shared DynamoDB Local) and a JWT_SECRET.
 * See README.md, "Deploy with pm2".
 */
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
  ],
};
