/** Tool names that the server and the editor both need to know. */

/**
 * `delegate_to_agent {agent_name, task}`: the tool that starts a sub-agent (MOCO's name). The
 * editor shows its calls as the delegations they start.
 */
export const DELEGATE_TOOL = 'delegate_to_agent';
