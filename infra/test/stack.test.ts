/**
 * The synthesized template (aws-cdk-lib/assertions): every resource of issue 18 with the
 * properties that matter, the tables equal to the server's own definitions, and no data
 * action on `Resource: "*"`. `npm run infra:test`.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinitions, TTL_ATTRIBUTE } from '../../server/adapters/dynamo/tables.ts';
import { tableNames } from '../../server/adapters/dynamo/client.ts';
import { APP_PORT, METRICS_NAMESPACE, MovieMagicStack, SHUTDOWN_GRACE_SECONDS } from '../lib/stack.ts';
import { DYNAMO_ACTIONS } from '../lib/tables.ts';

const PREFIX = 'mmtest';
const defs = tableDefinitions(tableNames(PREFIX));

function synth(stage: 'dev' | 'prod') {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'mm-cdk-')) });
  return Template.fromStack(new MovieMagicStack(app, `MM-${stage}`, { stage, tablePrefix: PREFIX }));
}

/** A CloudFormation string expression as text: Fn::Join flattened, references as ${Ref:X} / ${X.Attr}. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  const o = v as Record<string, unknown>;
  if (o['Fn::Base64']) return text(o['Fn::Base64']);
  if (o['Fn::Join']) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(text).join(sep);
  }
  if (o.Ref) return `\${Ref:${o.Ref as string}}`;
  if (o['Fn::GetAtt']) return `\${${(o['Fn::GetAtt'] as string[]).join('.')}}`;
  return '${?}';
}

const only = <T>(t: Template, type: string): [string, T] => {
  const found = Object.entries(t.findResources(type));
  expect(found, `one ${type}`).toHaveLength(1);
  return [found[0]![0], (found[0]![1] as { Properties: T }).Properties];
};

let dev: Template;
let prod: Template;
beforeAll(() => {
  dev = synth('dev');
  prod = synth('prod');
});

describe('DynamoDB tables', () => {
  it("have exactly the server's keys, attributes and indexes (tableDefinitions), on demand, with TTL on TTL_ATTRIBUTE and point-in-time recovery", () => {
    const tables = Object.values(dev.findResources('AWS::DynamoDB::Table')).map((r) => r.Properties);
    expect(tables.map((t) => t.TableName).sort()).toEqual(defs.map((d) => d.TableName).sort());
    for (const def of defs) {
      const t = tables.find((x) => x.TableName === def.TableName)!;
      expect(t.KeySchema).toEqual(def.KeySchema);
      expect(t.AttributeDefinitions).toEqual(def.AttributeDefinitions);
      expect(t.GlobalSecondaryIndexes).toEqual(def.GlobalSecondaryIndexes);
      expect(t.BillingMode).toBe('PAY_PER_REQUEST');
      expect(t.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
      expect(t.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });

  it('are deletion-protected and retained in prod, and not in dev', () => {
    for (const r of Object.values(prod.findResources('AWS::DynamoDB::Table'))) {
      expect(r.Properties.DeletionProtectionEnabled).toBe(true);
      expect(r.DeletionPolicy).toBe('Retain');
    }
    for (const r of Object.values(dev.findResources('AWS::DynamoDB::Table'))) expect(r.Properties.DeletionProtectionEnabled).toBe(false);
  });
});

describe('notifications', () => {
  it('the topic has one subscriber, the mail queue (SNS envelope, raw delivery off), and no people (email or SMS)', () => {
    const [topicId] = only(dev, 'AWS::SNS::Topic');
    const subs = Object.values(dev.findResources('AWS::SNS::Subscription')).map((r) => r.Properties);
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ Protocol: 'sqs', TopicArn: { Ref: topicId }, RawMessageDelivery: false });
    expect(subs.filter((s) => ['email', 'email-json', 'sms'].includes(s.Protocol))).toEqual([]);
  });

  it('the mail queue sends a message to its dead-letter queue after 5 receives', () => {
    const queues = dev.findResources('AWS::SQS::Queue');
    const main = Object.values(queues).find((q) => q.Properties.RedrivePolicy)!;
    expect(main.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
    const dlqId = main.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    expect(Object.keys(queues)).toContain(dlqId);
  });
});

describe('Valkey', () => {
  it('runs in the private subnets and lets in only the app hosts on 6379', () => {
    const [, group] = only<{ Engine: string; SecurityGroupIds: { 'Fn::GetAtt': string[] }[]; TransitEncryptionEnabled: boolean }>(dev, 'AWS::ElastiCache::ReplicationGroup');
    expect(group.Engine).toBe('valkey');
    expect(group.TransitEncryptionEnabled).toBe(true);
    const [, subnetGroup] = only<{ SubnetIds: { Ref: string }[] }>(dev, 'AWS::ElastiCache::SubnetGroup');
    const subnets = dev.findResources('AWS::EC2::Subnet');
    expect(subnetGroup.SubnetIds.length).toBeGreaterThan(0);
    for (const { Ref } of subnetGroup.SubnetIds) {
      expect(subnets[Ref]!.Properties.MapPublicIpOnLaunch).toBe(false);
      expect(subnets[Ref]!.Properties.Tags).toContainEqual({ Key: 'aws-cdk:subnet-type', Value: 'Private' });
    }
    const redisSg = group.SecurityGroupIds[0]!['Fn::GetAtt'][0]!;
    const ingress = Object.values(dev.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r) => r.Properties)
      .filter((p) => p.GroupId['Fn::GetAtt'][0] === redisSg);
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ FromPort: 6379, ToPort: 6379, IpProtocol: 'tcp' });
    const asgSgs = text(JSON.stringify(dev.findResources('AWS::EC2::LaunchTemplate')));
    expect(asgSgs).toContain(ingress[0].SourceSecurityGroupId['Fn::GetAtt'][0]);
    expect(dev.findResources('AWS::EC2::SecurityGroup')[redisSg]!.Properties.SecurityGroupIngress).toBeUndefined();
  });
});

describe('hosts', () => {
  const userData = () => {
    const [, lt] = only<{ LaunchTemplateData: { UserData: unknown } }>(dev, 'AWS::EC2::LaunchTemplate');
    return text(lt.LaunchTemplateData.UserData);
  };

  it('boot by installing Node and the app, then run it under pm2 with ecosystem.config.cjs in production', () => {
    const script = userData();
    expect(script).toMatch(/https:\/\/nodejs\.org\/dist\/v[\d.]+\/node-v[\d.]+-linux-x64\.tar\.xz/);
    expect(script).toContain('npm ci');
    expect(script).toContain('npm run build:client');
    expect(script).toMatch(/ExecStart=\S+\/pm2 start ecosystem\.config\.cjs --env production/);
    expect(script).toMatch(/ExecStop=\S+\/pm2 kill/);
    expect(script).toContain('/readyz');
    expect(script).toContain('cfn-signal --success true');
    expect(script).not.toContain('LOAD_TEST');
  });

  it('get the settings STORE=aws needs, and the secrets read from Secrets Manager at boot', () => {
    const script = userData();
    for (const key of ['STORE=aws', 'NODE_ENV=production', `TABLE_PREFIX=${PREFIX}`, 'PUBLIC_URL=${Ref:PublicUrl}', 'AWS_REGION=${Ref:AWS::Region}', `SHUTDOWN_GRACE_SECONDS=${SHUTDOWN_GRACE_SECONDS}`])
      expect(script).toContain(key);
    for (const key of ['SNS_TOPIC_ARN=${Ref:Notifications', 'MAIL_QUEUE_URL=${Ref:MailQueue', 'REDIS_URL=rediss://${Redis.PrimaryEndPoint.Address}', 'POSTER_BUCKET=${Ref:Posters'])
      expect(script).toContain(key);
    const secrets = Object.keys(dev.findResources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(3);
    for (const id of secrets) expect(script).toContain(`get-secret-value --region \${Ref:AWS::Region} --secret-id '\${Ref:${id}}'`);
    expect(script).toMatch(/JWT_SECRET=\$\(aws secretsmanager get-secret-value/);
    expect(script).toMatch(/METRICS_TOKEN=\$\(aws secretsmanager get-secret-value/);
    expect(script).toContain('PAYMENT_GATEWAY|RAZORPAY_|STRIPE_');
  });

  it('form an Auto Scaling group in the private subnets that replaces hosts one at a time, waiting for each to signal ready', () => {
    const asg = dev.findResources('AWS::AutoScaling::AutoScalingGroup').Hosts!;
    expect(Number(asg.Properties.MinSize)).toBeGreaterThanOrEqual(2);
    expect(asg.Properties.HealthCheckType).toBe('ELB');
    expect(asg.UpdatePolicy.AutoScalingRollingUpdate).toMatchObject({ MaxBatchSize: 1, WaitOnResourceSignals: true });
    const subnets = dev.findResources('AWS::EC2::Subnet');
    for (const { Ref } of asg.Properties.VPCZoneIdentifier) expect(subnets[Ref]!.Properties.MapPublicIpOnLaunch).toBe(false);
  });
});

describe('load balancer', () => {
  it('health-checks /readyz and drains a leaving host for SHUTDOWN_GRACE_SECONDS (the server default), without stickiness', () => {
    expect(SHUTDOWN_GRACE_SECONDS).toBe(10);
    const [, tg] = only<Record<string, unknown>>(dev, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(tg).toMatchObject({ HealthCheckPath: '/readyz', Port: APP_PORT, Protocol: 'HTTP', TargetType: 'instance' });
    const attrs = tg.TargetGroupAttributes as { Key: string; Value: string }[];
    expect(attrs).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: String(SHUTDOWN_GRACE_SECONDS) });
    expect(attrs.find((a) => a.Key === 'stickiness.enabled')?.Value ?? 'false').toBe('false');
  });

  it('is internet-facing with an idle timeout long enough for sockets, and listens on 80 forwarding to the hosts', () => {
    const [, lb] = only<{ Scheme: string; LoadBalancerAttributes: { Key: string; Value: string }[] }>(dev, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(lb.Scheme).toBe('internet-facing');
    expect(Number(lb.LoadBalancerAttributes.find((a) => a.Key === 'idle_timeout.timeout_seconds')!.Value)).toBeGreaterThanOrEqual(300);
    const [tgId] = only(dev, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    dev.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: tgId } }] });
  });
});

describe('storage, logs and alarms', () => {
  it('the poster bucket blocks public access and is encrypted', () => {
    dev.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
  });

  it('log groups for the app, the mailer and the host boot, with a retention', () => {
    const groups = Object.values(dev.findResources('AWS::Logs::LogGroup')).map((r) => r.Properties);
    expect(groups.map((g) => g.LogGroupName).sort()).toEqual(['app', 'host', 'mailer'].map((n) => `/moviemagic/${PREFIX}/${n}`));
    for (const g of groups) expect(g.RetentionInDays).toBeGreaterThan(0);
  });

  it('alarms on hold p99, load balancer 5xx, outbox failures, dead mail and each table’s throttles', () => {
    const alarms = Object.values(dev.findResources('AWS::CloudWatch::Alarm')).map((r) => JSON.stringify(r.Properties));
    const has = (...parts: string[]) => expect(alarms.some((a) => parts.every((p) => a.includes(p))), parts.join(' + ')).toBe(true);
    has(`"Namespace":"${METRICS_NAMESPACE}"`, '"MetricName":"HoldAckP99"');
    has('"MetricName":"HTTPCode_Target_5XX_Count"', '"MetricName":"HTTPCode_ELB_5XX_Count"');
    has('"MetricName":"OutboxRoundFailures"');
    has('"MetricName":"ApproximateNumberOfMessagesVisible"');
    for (const def of defs) has('"MetricName":"ReadThrottleEvents"', '"MetricName":"WriteThrottleEvents"', `"Value":"${def.TableName}"`);
    dev.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.msg = "outbox round failed" }', MetricTransformations: [Match.objectLike({ MetricName: 'OutboxRoundFailures' })] });
  });
});

describe('IAM', () => {
  type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
  const statements = (t: Template): Statement[] => {
    const policies = [
      ...Object.values(t.findResources('AWS::IAM::Policy')).map((r) => r.Properties.PolicyDocument),
      ...Object.values(t.findResources('AWS::IAM::Role')).flatMap((r) => (r.Properties.Policies ?? []).map((p: { PolicyDocument: unknown }) => p.PolicyDocument)),
      ...Object.values(t.findResources('AWS::IAM::ManagedPolicy')).map((r) => r.Properties.PolicyDocument),
    ];
    return policies.flatMap((d) => d.Statement as Statement[]);
  };
  const list = <T>(v: T | T[]) => (Array.isArray(v) ? v : [v]);

  it('no statement grants a data action (dynamodb, sns, sqs, s3, secretsmanager, ses) on Resource "*"', () => {
    for (const t of [dev, prod]) {
      const all = statements(t);
      expect(all.length).toBeGreaterThan(5);
      for (const s of all) {
        const data = list(s.Action).filter((a) => /^(dynamodb|sns|sqs|s3|secretsmanager|ses):/.test(a));
        if (data.length) expect(list(s.Resource).map(text), `${s.Sid ?? data.join(',')}`).not.toContain('*');
      }
      // The one "*": PutMetricData (it has no resource type), held to this namespace.
      const star = all.filter((s) => list(s.Resource).includes('*'));
      expect(star).toEqual([expect.objectContaining({ Action: 'cloudwatch:PutMetricData', Condition: { StringEquals: { 'cloudwatch:namespace': METRICS_NAMESPACE } } })]);
      expect(all.flatMap((s) => list(s.Action)).filter((a) => a.endsWith(':*'))).toEqual([]);
    }
  });

  it('the hosts may use exactly these tables and their indexes, with the actions the server calls', () => {
    const byTable = statements(dev).filter((s) => s.Sid?.startsWith('Table'));
    expect(byTable).toHaveLength(defs.length);
    const tableIds = Object.entries(dev.findResources('AWS::DynamoDB::Table')).map(([id, r]) => [r.Properties.TableName as string, id] as const);
    for (const def of defs) {
      const id = tableIds.find(([n]) => n === def.TableName)![1];
      const s = byTable.find((x) => list(x.Resource).map(text).includes(`\${${id}.Arn}`))!;
      expect(list(s.Action).sort()).toEqual(DYNAMO_ACTIONS.map((a) => `dynamodb:${a}`).sort());
      expect(list(s.Resource).map(text).sort()).toEqual([`\${${id}.Arn}`, ...(def.GlobalSecondaryIndexes ?? []).map((g) => `\${${id}.Arn}/index/${g.IndexName}`)].sort());
    }
  });

  it("DYNAMO_ACTIONS covers every command the server's DynamoDB adapters send", () => {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server/adapters/dynamo');
    // Only table setup (create-tables, tests) and DynamoDB Local use the others.
    const setupOnly = new Set(['CreateTable', 'DeleteTable', 'DescribeTimeToLive', 'UpdateTimeToLive', 'ListTables']);
    const iamOf: Record<string, string[]> = {
      Get: ['GetItem'], Put: ['PutItem'], Update: ['UpdateItem'], Delete: ['DeleteItem'], Query: ['Query'], Scan: ['Scan'],
      BatchGet: ['BatchGetItem'], BatchWrite: ['BatchWriteItem'], TransactWrite: ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'], DescribeTable: ['DescribeTable'],
    };
    const sent = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/new (\w+)Command\(/g)) sent.add(m[1]!);
    }
    expect(sent.size).toBeGreaterThan(5);
    for (const cmd of sent) {
      if (setupOnly.has(cmd)) continue;
      expect(iamOf[cmd], `IAM actions for ${cmd}Command`).toBeDefined();
      for (const a of iamOf[cmd]!) expect(DYNAMO_ACTIONS).toContain(a);
    }
  });

  it('the hosts publish to this topic, use this queue, send mail as the given SES identity and read these secrets only', () => {
    const all = statements(dev);
    const sid = (s: string) => all.find((x) => x.Sid === s)!;
    const [topicId] = only(dev, 'AWS::SNS::Topic');
    expect(sid('Publish')).toMatchObject({ Action: 'sns:Publish', Resource: { Ref: topicId } });
    expect(list(sid('MailQueue').Action).sort()).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage']);
    expect(text(sid('MailQueue').Resource)).toMatch(/^\$\{MailQueue\w*\.Arn\}$/);
    expect(sid('SendMail')).toMatchObject({ Action: 'ses:SendEmail', Resource: { Ref: 'SesIdentityArn' } });
    const secretIds = Object.keys(dev.findResources('AWS::SecretsManager::Secret')).sort();
    expect(list(sid('Secrets').Resource).map((r) => (r as { Ref: string }).Ref).sort()).toEqual(secretIds);
  });
});
