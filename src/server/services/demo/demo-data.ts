/**
 * The demo organisation's fixed data: a brand nobody would confuse with the platform default (teal
 * and coral, its own name and mark), and one user per default role with a known password.
 */
const svg = (body: string) => `data:image/svg+xml;base64,${Buffer.from(body).toString('base64')}`;

export const DEMO_SLUG = 'demo';

export const DEMO_BRANDING = {
  appName: 'Harbor Desk',
  logo: svg(
    '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40"><rect width="40" height="40" rx="10" fill="#0f766e"/><path d="M10 26c6-8 14-8 20 0" stroke="#fb7185" stroke-width="4" fill="none"/><circle cx="20" cy="14" r="4" fill="#fff"/><text x="50" y="27" font-family="sans-serif" font-size="18" font-weight="700" fill="#0f766e">Harbor Desk</text></svg>',
  ),
  favicon: svg(
    '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 40 40"><rect width="40" height="40" rx="10" fill="#0f766e"/><path d="M10 26c6-8 14-8 20 0" stroke="#fb7185" stroke-width="4" fill="none"/></svg>',
  ),
  colors: {
    primary: '#0f766e',
    primaryForeground: '#ffffff',
    secondary: '#ccfbf1',
    secondaryForeground: '#134e4a',
    accent: '#fb7185',
    accentForeground: '#1f2937',
    background: '#f8fafc',
    foreground: '#0f172a',
    muted: '#e2e8f0',
    mutedForeground: '#475569',
    border: '#99f6e4',
    destructive: '#b91c1c',
  },
};

export const DEMO_SUPER_ADMIN = {
  email: 'superadmin@platform.demo',
  password: 'Demo-superadmin-2026',
  displayName: 'Platform Operator',
};

export const DEMO_USERS = [
  { email: 'admin@demo.test', password: 'Demo-admin-2026', role: 'Admin', displayName: 'Avery Admin', team: null, branch: false },
  {
    email: 'ops@demo.test',
    password: 'Demo-ops-2026',
    role: 'Operations',
    displayName: 'Olivia Operations',
    team: null,
    branch: false,
  },
  {
    email: 'lead@demo.test',
    password: 'Demo-lead-2026',
    role: 'Team Lead',
    displayName: 'Liam Lead',
    team: 'Support',
    branch: false,
  },
  {
    email: 'branch@demo.test',
    password: 'Demo-branch-2026',
    role: 'Branch Manager',
    displayName: 'Bea Branch',
    team: null,
    branch: true,
  },
  {
    email: 'agent@demo.test',
    password: 'Demo-agent-2026',
    role: 'Agent',
    displayName: 'Alex Agent',
    team: 'Support',
    branch: true,
  },
  {
    email: 'member@demo.test',
    password: 'Demo-member-2026',
    role: 'Member',
    displayName: 'Morgan Member',
    team: 'Sales',
    branch: false,
  },
] as const;

export const DEMO_TEAMS = [
  { name: 'Support', description: 'Answers customer questions', skills: ['support', 'english'] },
  { name: 'Sales', description: 'Orders and quotes', skills: ['sales'] },
];

export const DEMO_BRANCH = { name: 'Downtown', code: 'DT', address: '1 Harbour Street', timezone: 'Europe/London' };

export const DEMO_CUSTOMERS = [
  {
    name: 'Maria Lopez',
    phone: '+447700900123',
    channel: 'whatsapp' as const,
    externalId: '447700900123',
    assignTo: 'agent@demo.test',
    team: 'Support',
    messages: [
      { in: true, text: 'Hi! My order #1042 has not arrived yet.' },
      { in: false, text: 'Sorry about that, Maria. Let me check the tracking for you.' },
      { in: true, text: 'Thank you!' },
    ],
  },
  {
    name: 'Tom Becker',
    channel: 'messenger' as const,
    externalId: 'psid-5566778899',
    assignTo: null,
    team: 'Sales',
    messages: [{ in: true, text: 'Do you deliver to Hamburg?' }],
  },
  {
    name: 'Visitor 7f3a',
    email: 'guest@example.com',
    channel: 'webchat' as const,
    externalId: 'visitor-7f3a',
    assignTo: null,
    team: 'Support',
    messages: [
      { in: true, text: 'Hello, is anyone there?' },
      { in: true, text: 'I would like to change my delivery address.' },
    ],
  },
];
