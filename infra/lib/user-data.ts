/**
 * The app hosts' boot script (Amazon Linux 2023): Node from nodejs.org, the app from its S3
 * asset, secrets from Secrets Manager into an env file only the app user reads, pm2 under
 * systemd with ecosystem.config.cjs (the web server, and the mailer when MAIL_QUEUE_URL is
 * set), the CloudWatch agent shipping pm2's logs, the metrics publisher
 * (infra/host/cloudwatch-metrics.mjs), and a CloudFormation signal once /readyz answers.
 */
export interface UserDataSettings {
  nodeVersion: string;
  appBucket: string;
  appKey: string;
  /** Plain settings for the app's environment. */
  env: Record<string, string>;
  /** Environment variable → secret ARN (the secret's string is the value). */
  secrets: Record<string, string>;
  /** A secret holding a JSON object of PAYMENT_GATEWAY / RAZORPAY_* / STRIPE_* settings. */
  jsonSecret: string;
  logGroups: { app: string; mailer: string; host: string };
  namespace: string;
  port: number;
  stack: string;
  region: string;
  signalResource: string;
}

const APP_DIR = '/opt/moviemagic/app';
const ENV_FILE = '/etc/moviemagic.env';

export function userData(s: UserDataSettings): string {
  const envLines = Object.entries(s.env).map(([k, v]) => `echo '${k}=${v}' >> ${ENV_FILE}`);
  const secretLines = Object.entries(s.secrets).map(
    ([k, arn]) => `echo "${k}=$(aws secretsmanager get-secret-value --region ${s.region} --secret-id '${arn}' --query SecretString --output text)" >> ${ENV_FILE}`,
  );
  const agentConfig = {
    logs: {
      logs_collected: {
        files: {
          collect_list: [
            { file_path: '/opt/moviemagic/.pm2/logs/movie-magic-out*.log', log_group_name: s.logGroups.app, log_stream_name: '{instance_id}' },
            { file_path: '/opt/moviemagic/.pm2/logs/movie-magic-error*.log', log_group_name: s.logGroups.app, log_stream_name: '{instance_id}-error' },
            { file_path: '/opt/moviemagic/.pm2/logs/mailer-*.log', log_group_name: s.logGroups.mailer, log_stream_name: '{instance_id}' },
            { file_path: '/var/log/moviemagic-boot.log', log_group_name: s.logGroups.host, log_stream_name: '{instance_id}' },
          ],
        },
      },
    },
  };
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    'exec > >(tee -a /var/log/moviemagic-boot.log) 2>&1',
    `trap '/opt/aws/bin/cfn-signal --success false --region ${s.region} --stack ${s.stack} --resource ${s.signalResource} || true' ERR`,
    'dnf install -y jq unzip tar xz amazon-cloudwatch-agent aws-cfn-bootstrap',
    '# CloudWatch agent: pm2 logs and this boot log',
    `cat > /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<'JSON'`,
    JSON.stringify(agentConfig, null, 2),
    'JSON',
    '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json',
    '# Node',
    `curl -fsSL https://nodejs.org/dist/v${s.nodeVersion}/node-v${s.nodeVersion}-linux-x64.tar.xz | tar -xJ -C /usr/local --strip-components=1`,
    'node -v',
    '# The app, from its asset',
    'id moviemagic >/dev/null 2>&1 || useradd --system --create-home --home-dir /opt/moviemagic moviemagic',
    `rm -rf ${APP_DIR} && mkdir -p ${APP_DIR}`,
    `aws s3 cp --region ${s.region} 's3://${s.appBucket}/${s.appKey}' /tmp/app.zip`,
    `unzip -q /tmp/app.zip -d ${APP_DIR} && rm /tmp/app.zip`,
    `chown -R moviemagic:moviemagic /opt/moviemagic`,
    `cd ${APP_DIR}`,
    'sudo -u moviemagic -H npm ci --no-audit --no-fund',
    'sudo -u moviemagic -H npm run build:client',
    '# Environment: settings, then secrets (readable by root and the app user only)',
    `install -m 600 -o moviemagic -g moviemagic /dev/null ${ENV_FILE}`,
    ...envLines,
    ...secretLines,
    `aws secretsmanager get-secret-value --region ${s.region} --secret-id '${s.jsonSecret}' --query SecretString --output text \\`,
    `  | jq -r 'to_entries[] | select(.key | test("^(PAYMENT_GATEWAY|RAZORPAY_|STRIPE_)")) | "\\(.key)=\\(.value)"' >> ${ENV_FILE}`,
    '# pm2 under systemd: stop = pm2 kill, each server drains for SHUTDOWN_GRACE_SECONDS',
    `cat > /etc/systemd/system/moviemagic.service <<'UNIT'`,
    '[Unit]',
    'Description=Movie Magic (pm2 start ecosystem.config.cjs)',
    'After=network-online.target',
    '[Service]',
    'User=moviemagic',
    `WorkingDirectory=${APP_DIR}`,
    `EnvironmentFile=${ENV_FILE}`,
    'Environment=PM2_HOME=/opt/moviemagic/.pm2',
    // The pm2 daemon (not pm2-runtime, which sends logs to /dev/null): one log file per app for the agent.
    'Type=forking',
    'PIDFile=/opt/moviemagic/.pm2/pm2.pid',
    `ExecStart=${APP_DIR}/node_modules/.bin/pm2 start ecosystem.config.cjs --env production`,
    // pm2 kill: SIGINT to each app, SIGKILL after its kill_timeout (20 s), then the daemon.
    `ExecStop=${APP_DIR}/node_modules/.bin/pm2 kill`,
    'TimeoutStopSec=60',
    'Restart=on-failure',
    '[Install]',
    'WantedBy=multi-user.target',
    'UNIT',
    `cat > /etc/systemd/system/moviemagic-metrics.service <<'UNIT'`,
    '[Unit]',
    'Description=Movie Magic metrics to CloudWatch',
    '[Service]',
    'User=moviemagic',
    `Environment=METRICS_URL=http://127.0.0.1:${s.port}/metrics METRICS_NAMESPACE=${s.namespace} AWS_REGION=${s.region}`,
    `ExecStart=/usr/local/bin/node ${APP_DIR}/infra/host/cloudwatch-metrics.mjs`,
    'Restart=always',
    '[Install]',
    'WantedBy=multi-user.target',
    'UNIT',
    'systemctl daemon-reload',
    'systemctl enable --now moviemagic.service moviemagic-metrics.service',
    '# Ready: tell CloudFormation (the rolling update waits for this before draining an old host)',
    `for i in $(seq 1 120); do curl -fsS http://127.0.0.1:${s.port}/readyz >/dev/null && break; sleep 5; done`,
    `curl -fsS http://127.0.0.1:${s.port}/readyz`,
    // Outside a stack update (a scale-out) there is nothing to signal: not an error.
    `/opt/aws/bin/cfn-signal --success true --region ${s.region} --stack ${s.stack} --resource ${s.signalResource} || true`,
    '',
  ].join('\n');
}
