/** Members: invite (with a token shown once), change role, deactivate; never lose the last admin. */
import type { StoreReader, TesseraStore } from '../data/store.js';
import { requireGrantable, requireKeyManagementAllowed, scopesOfRoles } from './access.js';
import { requireKnownRoles } from './catalog.js';
import type { ActionContext } from './context.js';
import { conflict, notFound } from './errors.js';
import type { MemberRecord } from './model.js';
import { byCreation, pageOf, type Page, type PageRequest } from './pagination.js';
import { newMember, presentMember, requireOwnWorkspace, type MemberView } from './workspaces.js';

export class MemberService {
  constructor(private readonly store: TesseraStore) {}

  async list(ctx: ActionContext, workspaceId: string, page: PageRequest): Promise<Page<MemberView>> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    const result = pageOf(await this.store.members(workspaceId), byCreation, page, 'asc', { list: 'members', within: [workspaceId] });
    return { ...result, data: result.data.map(presentMember) };
  }

  async create(ctx: ActionContext, workspaceId: string, input: { name: string; email: string; role?: string | undefined }): Promise<MemberView & { token: string }> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    // A member's token is a credential: a key may mint one only where keys may manage keys.
    requireKeyManagementAllowed(ctx.principal);
    const role = input.role ?? 'member';
    await requireKnownRoles(this.store, workspaceId, [role], 'role');
    requireGrantable(ctx.principal, await scopesOfRoles(this.store, workspaceId, [role]));
    const { record, token } = newMember(workspaceId, { name: input.name, email: input.email, role }, ctx.now);
    await this.store.transact(async (tx) => {
      const email = input.email.toLowerCase();
      if ((await tx.members(workspaceId)).some((m) => m.email.toLowerCase() === email)) {
        throw conflict('email_taken', 'Email already in use', `A member with the email ${input.email} already exists in this workspace.`);
      }
      tx.putMember(record);
    });
    ctx.events.push({ type: 'member.created', target: { type: 'member', id: record.id, name: record.name }, details: { role } });
    return { ...presentMember(record), token };
  }

  async get(ctx: ActionContext, workspaceId: string, memberId: string): Promise<MemberView> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    return presentMember(await this.find(this.store, workspaceId, memberId));
  }

  async update(ctx: ActionContext, workspaceId: string, memberId: string, input: { name?: string | undefined; role?: string | undefined }): Promise<MemberView> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    if (input.role !== undefined) {
      await requireKnownRoles(this.store, workspaceId, [input.role], 'role');
      requireGrantable(ctx.principal, await scopesOfRoles(this.store, workspaceId, [input.role]));
    }
    const { before, after } = await this.store.transact(async (tx) => {
      const member = await this.find(tx, workspaceId, memberId);
      if (member.status !== 'active' && input.role !== undefined) {
        throw conflict('member_deactivated', 'Member deactivated', 'A deactivated member cannot be given a role.');
      }
      if (input.role !== undefined && input.role !== 'admin') await this.requireAnotherAdmin(tx, member);
      const next: MemberRecord = { ...member, name: input.name ?? member.name, role: input.role ?? member.role, updated_at: ctx.now.toISOString() };
      tx.putMember(next);
      return { before: member, after: next };
    });
    ctx.events.push({ type: 'member.updated', target: { type: 'member', id: memberId, name: after.name }, details: { previous_role: before.role, role: after.role } });
    return presentMember(after);
  }

  async deactivate(ctx: ActionContext, workspaceId: string, memberId: string): Promise<MemberView> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    const { record, changed } = await this.store.transact(async (tx) => {
      const member = await this.find(tx, workspaceId, memberId);
      if (member.status === 'deactivated') return { record: member, changed: false };
      await this.requireAnotherAdmin(tx, member);
      const timestamp = ctx.now.toISOString();
      const next: MemberRecord = { ...member, status: 'deactivated', deactivated_at: timestamp, updated_at: timestamp };
      tx.putMember(next);
      return { record: next, changed: true };
    });
    if (changed) ctx.events.push({ type: 'member.deactivated', target: { type: 'member', id: memberId, name: record.name } });
    return presentMember(record);
  }

  /** Demoting or deactivating `member` must leave at least one active admin. */
  private async requireAnotherAdmin(reader: StoreReader, member: MemberRecord): Promise<void> {
    if (member.role !== 'admin' || member.status !== 'active') return;
    const admins = (await reader.members(member.workspace_id)).filter((m) => m.role === 'admin' && m.status === 'active');
    if (admins.length <= 1) throw conflict('last_admin', 'Last admin', 'This is the last active admin of the workspace; make another member admin first.');
  }

  private async find(reader: StoreReader, workspaceId: string, memberId: string): Promise<MemberRecord> {
    const member = await reader.member(memberId);
    if (!member || member.workspace_id !== workspaceId) throw notFound('member_not_found', 'Member', memberId);
    return member;
  }
}
