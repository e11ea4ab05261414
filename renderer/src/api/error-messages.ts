// What each API error code means to a person. One table over every code the core can answer with (the
// union of the codes each published contract declares) and those this side makes up: a code added to
// the core without a message here fails the typecheck. The API's own message stays for a details view.
import type { ApiBaseErrorCode } from '../../../p2p/api/contract.ts'
import type { PeersErrorCode } from '../../../p2p/peers/api.ts'
import type { DhtErrorCode } from '../../../p2p/dht/api.ts'
import type { FilesErrorCode } from '../../../p2p/files/api.ts'
import type { CalendarApiErrorCode } from '../../../p2p/calendar/api.ts'
import type { LedgerErrorCode } from '../../../p2p/ledger/api.ts'

/** Codes made up on this side, for failures that never reached an API answer (status 0). */
export type ClientErrorCode = 'network-error' | 'bad-response' | 'aborted'

export type ErrorCode = ApiBaseErrorCode | PeersErrorCode | DhtErrorCode | FilesErrorCode | CalendarApiErrorCode | LedgerErrorCode | ClientErrorCode

export const ERROR_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  // This side
  'network-error': 'Tidepool’s own peer on this computer is not answering.',
  'bad-response': 'Tidepool’s peer gave an answer this window does not understand; reload the page.',
  aborted: 'Cancelled.',
  // The API itself
  'bad-host': 'This page was opened under an address Tidepool does not accept; open it from the address Tidepool printed.',
  'bad-origin': 'Another web page tried to use Tidepool; that is not allowed.',
  unauthorized: 'This window’s access key is not accepted; open Tidepool again from the address it printed.',
  'not-found': 'That is not here (any more).',
  'method-not-allowed': 'Tidepool’s peer does not offer that action; this window may be older than the peer — reload it.',
  'bad-request': 'Some of what was entered is not accepted; check the fields and try again.',
  'too-large': 'That is too big.',
  'unsupported-media-type': 'Tidepool’s peer could not read what this window sent; reload the page.',
  'length-required': 'Tidepool’s peer could not tell how big the upload is; try again.',
  'disk-full': 'The disk is full, so nothing was saved. Free some space on it and try again.',
  internal: 'Something went wrong inside Tidepool’s peer; the log (tidepool.log) says what.',
  // Peers
  'invalid-multiaddr': 'That is not a peer address. Copy one from another peer’s “This peer” card.',
  'missing-peer-id': 'The address lacks the peer’s id (the part that ends in /p2p/…). Copy the whole address.',
  'self-dial': 'That is this peer’s own address. Paste another peer’s address.',
  offline: 'Airplane mode is on: this peer makes and accepts no connections. Turn it off in the top bar first.',
  'dial-failed': 'Could not reach that peer. Is it running, and is the address current?',
  'wrong-network': 'That peer is on another Tidepool network, so they cannot work together.',
  // DHT
  'dht-timeout': 'The search over the network took too long. Try again once more peers are connected.',
  'lookup-failed': 'No peer could be found to answer; connect to more peers and try again.',
  // Files
  'bad-cid': 'That is not a valid file link. Check that the whole tidepool:// link was pasted.',
  'bad-link': 'That is not a valid file link. Check that the whole tidepool:// link was pasted.',
  'unsupported-layout': 'That file was shared in a form Tidepool cannot download.',
  'bad-manifest': 'A peer sent a broken description of the file; Tidepool will try others.',
  'bad-chunk': 'A peer sent damaged data; it was thrown away and Tidepool will try others.',
  stopped: 'Tidepool is shutting down; try again once it is back.',
  'no-provider': 'No peer that has this file could be found. Retry once the peer that shared it is online.',
  'bad-folder': 'That folder can\'t take downloads: give the full path of an existing folder you can write to.',
  'bad-dest': 'That save location can\'t be used: pick an existing folder you can write to, and a file name, not a folder.',
  'dest-exists': 'A file with that name is already there. Choose another name, or allow replacing it.',
  // Calendar
  'unknown-calendar': 'That calendar is not on this peer.',
  'bad-invite': 'That is not a valid calendar invitation. Copy the whole invitation again.',
  refused: 'The other member refused to sync with this peer.',
  'not-member': 'This peer is not (or no longer) a member of that calendar.',
  unreachable: 'No other member of this calendar could be reached. Changes stay here and sync later.',
  'bad-ics': 'That file is not a calendar (.ics) file Tidepool can read.',
  'not-primary': 'Only the member that keeps the calendar’s order (the primary) can hand that role on.',
  'bad-handoff': 'The role can only be handed to another active member.',
  'primary-must-hand-off': 'This peer keeps the calendar’s order: hand the role to another member before retiring.',
  'unknown-replica': 'A change came from a member this calendar does not know.',
  'retired-replica': 'A change came from a member that has left the calendar.',
  'wrong-calendar': 'A change belongs to another calendar.',
  'bad-commit': 'A member sent the calendar’s order wrongly; it was ignored.',
  'bad-snapshot': 'A member sent a copy of the calendar that does not fit; it was ignored.',
  'out-of-order': 'A member sent changes out of order; they were ignored.',
  'broken-chain': 'A member sent changes that do not follow on from what this calendar holds; they were ignored.',
  'invalid-op': 'This peer may not make that change to the calendar.',
  // Ledger: the wallet
  locked: 'The wallet is locked. Unlock it with its passphrase first.',
  'wrong-passphrase': 'That passphrase is not the wallet’s.',
  'insufficient-funds': 'Not enough coins: the amount plus the fee is more than the wallet can spend now.',
  'bad-amount': 'That amount is not possible: give a positive number of coins.',
  'bad-address': 'That is not a wallet address. Copy the whole address from the receiver’s wallet.',
  timeout: 'That took too long and was stopped; try fewer trials.',
  // Ledger: why a payment or block was refused
  malformed: 'That payment is not readable.',
  'block-too-large': 'That block is too big for the rules.',
  'tx-too-large': 'That payment is too big for the rules; send fewer coins in one go.',
  'bad-pow': 'That block was not mined properly (not enough work).',
  'bad-bits': 'That block claims the wrong difficulty.',
  'time-too-old': 'That block’s time is too far in the past.',
  'time-too-new': 'That block’s time is too far ahead; it may be accepted later.',
  'bad-version': 'That block has a version these rules do not know.',
  'bad-merkle-root': 'That block’s payments do not match its header.',
  'no-coinbase': 'That block lacks its reward payment.',
  'multiple-coinbase': 'That block pays its reward more than once.',
  'duplicate-tx': 'That block holds the same payment twice.',
  'bad-coinbase-height': 'That block’s reward names the wrong height.',
  'bad-coinbase-amount': 'That block pays itself more than allowed.',
  'tx-no-inputs': 'That payment spends nothing.',
  'tx-no-outputs': 'That payment pays no one.',
  'output-total-too-large': 'That payment pays out more coins than can exist.',
  'duplicate-input': 'That payment spends the same coins twice.',
  'bad-unlock': 'That payment is not signed properly.',
  'missing-input': 'That payment spends coins that do not exist or were already spent.',
  'immature-coinbase-spend': 'Mined coins can be spent only once enough blocks follow them.',
  'wrong-key': 'That payment spends coins of another wallet.',
  'bad-signature': 'A signature does not check out.',
  overspend: 'That payment spends more coins than it has.',
  'invalid-ancestor': 'That block builds on a block already found invalid.',
  'coinbase-outside-block': 'A reward payment can only be inside a block.',
  'mempool-conflict': 'Those coins are already being spent by a waiting payment; wait for it to be mined.',
  'already-known': 'That payment is already waiting to be mined.',
  'fee-too-low': 'The fee is too low for this peer to take the payment; raise it.',
  'mempool-full': 'Too many payments are waiting; raise the fee or try later.',
  'missing-input-mempool': 'That payment spends coins this peer has not seen yet; it waits until they arrive.'
}

/** The message for a code, or null for a code this table lacks (e.g. `http-502` from something in between). */
export function messageFor (code: string): string | null {
  return Object.hasOwn(ERROR_MESSAGES, code) ? ERROR_MESSAGES[code as ErrorCode] : null
}
