const PLACES = [
  { name: 'Tony\u2019s Pizza Napoletana', area: 'North Beach', style: 'Neapolitan', rating: 4.6 },
  { name: 'Golden Boy Pizza', area: 'North Beach', style: 'Focaccia square', rating: 4.5 },
  { name: 'Del Popolo', area: 'Nob Hill', style: 'Neapolitan', rating: 4.5 },
  { name: 'Arizmendi Bakery', area: 'Inner Sunset', style: 'Sourdough veggie', rating: 4.7 },
  { name: 'Little Star Pizza', area: 'Divisadero', style: 'Deep dish', rating: 4.4 },
  { name: 'Pizzeria Delfina', area: 'Mission', style: 'Margherita', rating: 4.4 },
]

export default function searchPizzaSf(input, { user }) {
  const term = typeof input.searchTerm === 'string' ? input.searchTerm.trim().toLowerCase() : ''
  const results = PLACES.filter(
    (p) => !term || `${p.name} ${p.area} ${p.style}`.toLowerCase().includes(term),
  )
  return {
    searchTerm: term,
    results,
    signedIn: user.isAuthenticated,
    ...(user.isAuthenticated
      ? { favourites: results.slice(0, 1).map((p) => p.name), user_id: user.subject }
      : {}),
  }
}
