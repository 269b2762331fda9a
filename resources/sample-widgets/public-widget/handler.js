export default function publicWidget(_input, { user }) {
  return {
    message: 'This is public content',
    authenticated: user.isAuthenticated,
    note: 'Anyone can access this widget',
  }
}
