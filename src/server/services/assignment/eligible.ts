/** Who may take a conversation: same team (when it has one) and every required skill. */
export interface Agent {
  id: string;
  skills: string[];
  teamIds: string[];
  capacity: number;
}

export function eligibleAgents(
  agents: Agent[],
  conv: { teamId?: string; requiredSkills: string[] },
  excluded: ReadonlySet<string> = new Set(),
): Agent[] {
  return agents.filter(
    (a) =>
      a.capacity > 0 &&
      !excluded.has(a.id) &&
      (!conv.teamId || a.teamIds.includes(conv.teamId)) &&
      conv.requiredSkills.every((s) => a.skills.includes(s)),
  );
}
