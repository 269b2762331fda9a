export default function seePastOrders(_input, { user }) {
  return {
    user_id: user.subject,
    name: user.claims.name ?? null,
    orders: [
      {
        id: 'ord_1042',
        place: 'Tony\u2019s Pizza Napoletana',
        item: 'Margherita',
        total: 24.5,
        date: '2026-11-02',
      },
      {
        id: 'ord_1017',
        place: 'Arizmendi Bakery',
        item: 'Daily veggie',
        total: 18,
        date: '2026-10-19',
      },
    ],
  }
}
