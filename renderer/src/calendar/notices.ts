// What to tell the viewer when a commit or a reordered log changed what one of its writes did, in
// plain words and local times ("Hiring moved to 11:00 because main was taken at 10:00"). Pure.
import { formatTime, localTimes } from './time.ts'

export interface Notice { text: string, writeId: string, before: string, after: string }

const booked = (detail: string): string | null => /^booked (\S+)/.exec(detail)?.[1] ?? null

export function outcomeNotice (event: { title: string, room: string } | null, writeId: string, before: string, after: string): Notice {
  const name = event?.title ?? 'An event'
  const was = booked(before)
  const now = booked(after)
  let text: string
  if (was != null && now != null) text = `${name} moved to ${formatTime(now)} because ${event?.room ?? 'its room'} was taken at ${formatTime(was)}.`
  else if (was != null && after.startsWith('conflict')) text = `${name} lost its ${formatTime(was)} slot: none of the times asked for is free now.`
  else if (now != null) text = `${name} is now booked at ${formatTime(now)}.`
  else text = `${name}: ${localTimes(after)} (it was ${localTimes(before)}).`
  return { text, writeId, before, after }
}
