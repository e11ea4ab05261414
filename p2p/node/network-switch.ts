// Airplane mode: while offline, the connection gater refuses every dial and every inbound connection.
import type { ConnectionGater } from '@libp2p/interface'

export class NetworkSwitch {
  online = true

  /** A gater that consults the switch on every step of every connection, inbound and outbound. */
  gater (): ConnectionGater {
    const offline = (): boolean => !this.online
    return {
      denyDialPeer: offline,
      denyDialMultiaddr: offline,
      denyInboundConnection: offline,
      denyOutboundConnection: offline,
      denyInboundEncryptedConnection: offline,
      denyOutboundEncryptedConnection: offline,
      denyInboundUpgradedConnection: offline,
      denyOutboundUpgradedConnection: offline
    }
  }
}
