/**
 * Movie Magic on AWS, one stack: DynamoDB tables built from the server's own definitions
 * (server/adapters/dynamo/tables.ts), the notification topic with its mailer queue, Valkey
 * (ElastiCache) in private subnets, an Auto Scaling group of EC2 hosts running the app under
 * pm2 behind an Application Load Balancer, secrets, a poster bucket, logs, metrics and alarms.
 * See docs/deploy.md. No lookups: it synthesizes offline, without an AWS account.
 */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import {
  CfnOutput,
  CfnParameter,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  aws_autoscaling as autoscaling,
  aws_cloudwatch as cloudwatch,
  aws_dynamodb as dynamodb,
  aws_ec2 as ec2,
  aws_elasticache as elasticache,
  aws_elasticloadbalancingv2 as elbv2,
  aws_iam as iam,
  aws_logs as logs,
  aws_s3 as s3,
  aws_s3_assets as assets,
  aws_secretsmanager as secretsmanager,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { tableDefinitions, TTL_ATTRIBUTE } from '../../server/adapters/dynamo/tables.ts';
import { tableNames } from '../../server/adapters/dynamo/client.ts';
import { loadConfig } from '../../server/config.ts';
import { cfnTableProps, DYNAMO_ACTIONS, indexNames } from './tables.ts';
import { userData } from './user-data.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The server's default SHUTDOWN_GRACE_SECONDS (server/config.ts), so the ALB drains exactly that long. */
export const SHUTDOWN_GRACE_SECONDS = loadConfig({}).shutdownGraceMs / 1000;
export const APP_PORT = 3000;
export const METRICS_NAMESPACE = 'MovieMagic';

export interface MovieMagicProps extends StackProps {
  /** 'prod' turns on deletion protection and keeps tables, bucket and logs when the stack is deleted. */
  stage: 'prod' | 'dev';
  tablePrefix: string;
  instanceType?: string;
  minHosts?: number;
  maxHosts?: number;
  /** pm2 processes per host (WEB_CONCURRENCY). */
  webConcurrency?: number;
  nodeVersion?: string;
  /** An ACM certificate for an HTTPS listener; without one the ALB listens on HTTP port 80. */
  certificateArn?: string;
  /** A load-test rig for `npm run rush` (LOAD_TEST=1, BCRYPT_COST=4: cheap unlimited sign-ups). Never for a real sale. */
  loadTest?: boolean;
}

export class MovieMagicStack extends Stack {
  constructor(scope: Construct, id: string, props: MovieMagicProps) {
    super(scope, id, props);
    const prod = props.stage === 'prod';
    const keep = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const publicUrl = new CfnParameter(this, 'PublicUrl', {
      description: 'The address people open the site at (PUBLIC_URL), e.g. https://tickets.example.com',
      allowedPattern: '^https?://\\S+$',
    });
    const sesIdentityArn = new CfnParameter(this, 'SesIdentityArn', {
      description: 'The verified SES identity the mailer sends from, e.g. arn:aws:ses:ap-south-1:123456789012:identity/tickets.example.com',
      allowedPattern: '^arn:aws[a-z-]*:ses:[a-z0-9-]+:\\d{12}:identity/\\S+$',
    });
    const mailFrom = new CfnParameter(this, 'MailFrom', {
      description: 'The sender (MAIL_FROM), an address of the SES identity, e.g. Movie Magic <no-reply@tickets.example.com>',
      minLength: 3,
    });

    // ---- Network
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: prod ? 2 : 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
    });
    const albSg = new ec2.SecurityGroup(this, 'AlbSg', { vpc, description: 'Load balancer: the world on 80/443', allowAllOutbound: false });
    const hostSg = new ec2.SecurityGroup(this, 'HostSg', { vpc, description: 'App hosts: the load balancer on the app port' });
    const redisSg = new ec2.SecurityGroup(this, 'RedisSg', { vpc, description: 'Valkey: the app hosts only', allowAllOutbound: false });
    albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(props.certificateArn ? 443 : 80), 'clients');
    if (props.certificateArn) albSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'redirect to https');
    albSg.addEgressRule(hostSg, ec2.Port.tcp(APP_PORT), 'to the app');
    hostSg.addIngressRule(albSg, ec2.Port.tcp(APP_PORT), 'from the load balancer');
    redisSg.addIngressRule(hostSg, ec2.Port.tcp(6379), 'from the app hosts');

    // ---- DynamoDB: the server's definitions, plus what only AWS has (PITR, deletion protection)
    const names = tableNames(props.tablePrefix);
    const tables = tableDefinitions(names).map((def) => {
      const key = Object.entries(names).find(([, n]) => n === def.TableName)![0];
      const table = new dynamodb.CfnTable(this, `Table-${key}`, {
        ...cfnTableProps(def, TTL_ATTRIBUTE),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtectionEnabled: prod,
      });
      table.applyRemovalPolicy(keep);
      return { def, table, arn: table.attrArn };
    });

    // ---- Notifications: the topic (never people, only the mail queue) and the mailer's queue
    const topic = new sns.Topic(this, 'Notifications', { displayName: 'Movie Magic notifications' });
    const mailDlq = new sqs.Queue(this, 'MailDeadLetters', { retentionPeriod: Duration.days(14), enforceSSL: true });
    const mailQueue = new sqs.Queue(this, 'MailQueue', {
      visibilityTimeout: Duration.seconds(60),
      retentionPeriod: Duration.days(4),
      enforceSSL: true,
      deadLetterQueue: { queue: mailDlq, maxReceiveCount: 5 },
    });
    // The SNS envelope reaches the worker (raw delivery off): it carries the email attribute.
    topic.addSubscription(new subscriptions.SqsSubscription(mailQueue, { rawMessageDelivery: false }));

    // ---- Valkey for the Socket.IO adapter, rate limits and the waiting room
    const redisSubnets = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: 'Movie Magic Valkey, private subnets',
      subnetIds: vpc.privateSubnets.map((s) => s.subnetId),
    });
    const redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'Movie Magic Valkey',
      engine: 'valkey',
      engineVersion: '8.0',
      cacheNodeType: 'cache.t4g.small',
      numCacheClusters: prod ? 2 : 1,
      automaticFailoverEnabled: prod,
      multiAzEnabled: prod,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: redisSubnets.ref,
      securityGroupIds: [redisSg.securityGroupId],
    });
    const redisUrl = `rediss://${redis.attrPrimaryEndPointAddress}:${redis.attrPrimaryEndPointPort}`;

    // ---- Secrets (filled by the operator, docs/deploy.md; JWT and metrics token generated)
    const jwtSecret = new secretsmanager.Secret(this, 'JwtSecret', {
      description: 'JWT_SECRET',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: keep,
    });
    const metricsToken = new secretsmanager.Secret(this, 'MetricsToken', {
      description: 'METRICS_TOKEN (Bearer token for /metrics from outside the host)',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
      removalPolicy: keep,
    });
    const paymentKeys = new secretsmanager.Secret(this, 'PaymentKeys', {
      description: 'Payment gateway settings as JSON: PAYMENT_GATEWAY and RAZORPAY_* or STRIPE_* (docs/payments.md)',
      generateSecretString: { secretStringTemplate: JSON.stringify({ PAYMENT_GATEWAY: 'test' }), generateStringKey: '_generated' },
      removalPolicy: keep,
    });
    const secrets = { JWT_SECRET: jwtSecret, METRICS_TOKEN: metricsToken };

    // ---- Posters (uploaded files, POSTER_BUCKET)
    const posters = new s3.Bucket(this, 'Posters', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: prod,
      removalPolicy: keep,
      autoDeleteObjects: false,
    });

    // ---- Logs
    const retention = logs.RetentionDays.ONE_MONTH;
    const appLogs = new logs.LogGroup(this, 'AppLogs', { logGroupName: `/moviemagic/${props.tablePrefix}/app`, retention, removalPolicy: keep });
    const mailerLogs = new logs.LogGroup(this, 'MailerLogs', { logGroupName: `/moviemagic/${props.tablePrefix}/mailer`, retention, removalPolicy: keep });
    const hostLogs = new logs.LogGroup(this, 'HostLogs', { logGroupName: `/moviemagic/${props.tablePrefix}/host`, retention, removalPolicy: keep });
    const logGroups = [appLogs, mailerLogs, hostLogs];

    // ---- The app, as an asset of this repository (a new commit → a new launch template version)
    const app = new assets.Asset(this, 'AppSource', {
      path: REPO_ROOT,
      exclude: ['node_modules', '**/node_modules', '.git', 'data', 'client/dist', 'bench/out', 'test', 'test-results', 'infra/cdk.out', '.pm2', '*.log'],
    });

    // ---- Instance role: exactly these resources and the actions the server calls
    const role = new iam.Role(this, 'HostRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'), description: 'Movie Magic app hosts' });
    for (const { def, arn } of tables) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: `Table${def.TableName!.replace(/[^A-Za-z0-9]/g, '')}`,
          actions: DYNAMO_ACTIONS.map((a) => `dynamodb:${a}`),
          resources: [arn, ...indexNames(def).map((i) => `${arn}/index/${i}`)],
        }),
      );
    }
    role.addToPolicy(new iam.PolicyStatement({ sid: 'Publish', actions: ['sns:Publish'], resources: [topic.topicArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'MailQueue',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        resources: [mailQueue.queueArn],
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ sid: 'SendMail', actions: ['ses:SendEmail'], resources: [sesIdentityArn.valueAsString] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Secrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [jwtSecret.secretArn, metricsToken.secretArn, paymentKeys.secretArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Posters',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [posters.arnForObjects('*')],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AppSource',
        actions: ['s3:GetObject'],
        resources: [app.bucket.arnForObjects(app.s3ObjectKey)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: logGroups.map((g) => g.logGroupArn),
      }),
    );
    // cfn-signal from the boot script: this stack only.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'SignalStack',
        actions: ['cloudformation:SignalResource'],
        resources: [this.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${this.stackName}/*` })],
      }),
    );
    // PutMetricData has no resource type; the condition holds it to this namespace.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Metrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } },
      }),
    );

    // ---- Hosts
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      STORE: 'aws',
      AWS_REGION: this.region,
      TABLE_PREFIX: props.tablePrefix,
      PUBLIC_URL: publicUrl.valueAsString,
      SNS_TOPIC_ARN: topic.topicArn,
      MAIL_QUEUE_URL: mailQueue.queueUrl,
      MAIL_FROM: mailFrom.valueAsString,
      REDIS_URL: redisUrl,
      POSTER_BUCKET: posters.bucketName,
      SHUTDOWN_GRACE_SECONDS: String(SHUTDOWN_GRACE_SECONDS),
      WEB_CONCURRENCY: String(props.webConcurrency ?? 1),
      PORT: String(APP_PORT),
      ...(props.loadTest ? { LOAD_TEST: '1', BCRYPT_COST: '4' } : {}),
    };
    const launchTemplate = new ec2.LaunchTemplate(this, 'HostTemplate', {
      machineImage: ec2.MachineImage.latestAmazonLinux2023(),
      instanceType: new ec2.InstanceType(props.instanceType ?? 't3.small'),
      role,
      securityGroup: hostSg,
      requireImdsv2: true,
      userData: ec2.UserData.custom(
        userData({
          nodeVersion: props.nodeVersion ?? '22.12.0',
          appBucket: app.s3BucketName,
          appKey: app.s3ObjectKey,
          env,
          secrets: Object.fromEntries(Object.entries(secrets).map(([k, s]) => [k, s.secretArn])),
          jsonSecret: paymentKeys.secretArn,
          logGroups: { app: appLogs.logGroupName, mailer: mailerLogs.logGroupName, host: hostLogs.logGroupName },
          namespace: METRICS_NAMESPACE,
          port: APP_PORT,
          stack: this.stackName,
          region: this.region,
          signalResource: 'Hosts',
        }),
      ),
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true }) }],
    });
    const asg = new autoscaling.AutoScalingGroup(this, 'Hosts', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      launchTemplate,
      minCapacity: props.minHosts ?? 2,
      maxCapacity: props.maxHosts ?? 6,
      healthChecks: autoscaling.HealthChecks.withAdditionalChecks({ additionalTypes: [autoscaling.AdditionalHealthCheckType.ELB], gracePeriod: Duration.minutes(10) }),
      // A new version: new hosts first, each signals once /readyz answers, then old ones drain.
      signals: autoscaling.Signals.waitForMinCapacity({ timeout: Duration.minutes(20) }),
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({ maxBatchSize: 1, minInstancesInService: props.minHosts ?? 2, waitOnResourceSignals: true, pauseTime: Duration.minutes(20) }),
    });
    (asg.node.defaultChild as autoscaling.CfnAutoScalingGroup).overrideLogicalId('Hosts');
    asg.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });

    // ---- Load balancer: websockets (long idle timeout), /readyz, draining = the server's grace
    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, internetFacing: true, securityGroup: albSg, idleTimeout: Duration.seconds(3600) });
    const targets = new elbv2.ApplicationTargetGroup(this, 'AppTargets', {
      vpc,
      port: APP_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.INSTANCE,
      targets: [asg],
      deregistrationDelay: Duration.seconds(SHUTDOWN_GRACE_SECONDS),
      healthCheck: { path: '/readyz', healthyHttpCodes: '200', interval: Duration.seconds(10), timeout: Duration.seconds(5), healthyThresholdCount: 2, unhealthyThresholdCount: 3 },
    });
    if (props.certificateArn) {
      alb.addListener('Https', { port: 443, certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)], defaultTargetGroups: [targets], open: false });
      alb.addRedirect({ sourcePort: 80, targetPort: 443 });
    } else {
      alb.addListener('Http', { port: 80, defaultTargetGroups: [targets], open: false });
    }

    // ---- Alarms and dashboard
    const alarms: cloudwatch.Alarm[] = [];
    const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string, evaluationPeriods = 3) => {
      const a = new cloudwatch.Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods,
        datapointsToAlarm: evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarms.push(a);
      return a;
    };
    const minute = Duration.minutes(1);
    const holdP99 = new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: 'HoldAckP99', statistic: 'Maximum', period: minute });
    alarm('HoldP99Alarm', holdP99, 0.25, 'Seat hold p99 above 250 ms for 3 minutes (host metrics from /metrics)');
    const alb5xx = new cloudwatch.MathExpression({
      expression: 'target + elb',
      usingMetrics: {
        target: alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: minute, statistic: 'Sum' }),
        elb: alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: minute, statistic: 'Sum' }),
      },
      period: minute,
      label: 'ALB 5xx',
    });
    alarm('Alb5xxAlarm', alb5xx, 10, 'More than 10 HTTP 5xx a minute at the load balancer for 3 minutes');
    alarm('UnhealthyHostsAlarm', targets.metrics.unhealthyHostCount({ period: minute, statistic: 'Maximum' }), 0, 'A host fails /readyz', 2);
    // Outbox: the server logs 'outbox round failed' when a delivery round throws; dead mail lands in the DLQ.
    const outboxFailures = new logs.MetricFilter(this, 'OutboxFailuresFilter', {
      logGroup: appLogs,
      metricNamespace: METRICS_NAMESPACE,
      metricName: 'OutboxRoundFailures',
      filterPattern: logs.FilterPattern.stringValue('$.msg', '=', 'outbox round failed'),
      metricValue: '1',
      defaultValue: 0,
    });
    alarm('OutboxFailuresAlarm', outboxFailures.metric({ period: Duration.minutes(5), statistic: 'Sum' }), 0, 'Outbox delivery rounds failing', 2);
    alarm('MailDeadLettersAlarm', mailDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }), 0, 'Mail the mailer gave up on (dead-letter queue)', 1);
    for (const { def } of tables) {
      const throttles = (metricName: string) =>
        new cloudwatch.Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap: { TableName: def.TableName! }, statistic: 'Sum', period: minute });
      const key = def.TableName!.slice(props.tablePrefix.length + 1);
      alarm(
        `Throttles-${key}`,
        new cloudwatch.MathExpression({ expression: 'r + w', usingMetrics: { r: throttles('ReadThrottleEvents'), w: throttles('WriteThrottleEvents') }, period: minute, label: `${def.TableName} throttles` }),
        0,
        `DynamoDB throttling on ${def.TableName}`,
        2,
      );
    }
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `moviemagic-${props.tablePrefix}` });
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Seat hold p99 (s)', left: [holdP99] }),
      new cloudwatch.GraphWidget({ title: 'Sockets', left: [new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: 'Sockets', statistic: 'Sum', period: minute })] }),
      new cloudwatch.GraphWidget({ title: 'ALB 5xx', left: [alb5xx] }),
    );
    dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24 }));

    new CfnOutput(this, 'LoadBalancerUrl', { value: `${props.certificateArn ? 'https' : 'http'}://${alb.loadBalancerDnsName}` });
    new CfnOutput(this, 'TopicArn', { value: topic.topicArn });
    new CfnOutput(this, 'MailQueueUrl', { value: mailQueue.queueUrl });
    new CfnOutput(this, 'PaymentKeysSecret', { value: paymentKeys.secretArn });
    new CfnOutput(this, 'PosterBucket', { value: posters.bucketName });
  }
}
