export default function flexibleWidget(_input, { user }) {
  if (user.isAuthenticated) {
    return {
      tier: 'premium',
      message: `Welcome back, ${user.claims.name ?? 'User'}!`,
      user_id: user.subject,
      features: ['basic', 'advanced', 'export', 'share'],
      personalized: true,
    }
  }
  return {
    tier: 'free',
    message: 'Welcome! Sign in to unlock premium features.',
    features: ['basic'],
    personalized: false,
  }
}
