export default function protectedWidget(input, { user }) {
  return {
    message: `Hello, ${user.claims.name ?? 'User'}!`,
    user_id: user.subject,
    email: user.claims.email ?? 'N/A',
    scopes: user.scopes,
    has_read: user.hasScope('read:data'),
    has_write: user.hasScope('write:data'),
    has_admin: user.hasScope('admin'),
    input_message: typeof input.message === 'string' ? input.message : 'Hello',
  }
}
