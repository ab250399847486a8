/**
 * Password rules for sign-up (pure). Length comes from the protocol schema (8+); here:
 * bcrypt's 72-byte limit, and a short list of the most common passwords, which are the
 * first ones any guessing attack tries. (A full breached-password list would be a
 * download; this ships with the code.)
 */
const COMMON = new Set(
  `
password 12345678 123456789 1234567890 qwertyuiop qwerty123 password1 password123 iloveyou 11111111 00000000
1q2w3e4r 1qaz2wsx qazwsxedc zaq12wsx sunshine princess football baseball superman starwars trustno1 welcome1
welcome123 letmein123 abc12345 abcd1234 12341234 87654321 987654321 asdfghjkl zxcvbnm123 passw0rd p@ssw0rd
p@ssword admin123 administrator changeme 123123123 11223344 12344321 q1w2e3r4 qwer1234 monkey123 dragon123
michael1 jennifer computer internet whatever freedom1 iloveyou1 india123 bollywood cricket123 hyderabad
mumbai123 chennai123 bangalore moviemagic movietime cinema123 letmeinnow secret123 master123 shadow123
`
    .split(/\s+/)
    .filter(Boolean),
);

export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if (Buffer.byteLength(password, 'utf8') > 72) problems.push('must be at most 72 bytes');
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) problems.push('is one of the most common passwords; pick another');
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && lower.includes(local)) problems.push('must not contain your email name');
  if (new Set(password).size < 4) problems.push('needs at least 4 different characters');
  return problems;
}
