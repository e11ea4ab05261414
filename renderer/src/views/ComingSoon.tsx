// Placeholder for capabilities the core does not offer yet.

export interface ComingSoonProps {
  title: string
  summary: string
  items: string[]
}

export function ComingSoon ({ title, summary, items }: ComingSoonProps) {
  return (
    <div className="view">
      <h1>{title}</h1>
      <section className="card coming-soon" data-testid="coming-soon">
        <h2>Coming soon</h2>
        <p>{summary}</p>
        <ul>
          {items.map(i => <li key={i}>{i}</li>)}
        </ul>
      </section>
    </div>
  )
}
