// A QR code of a text (share link, invite, address), drawn locally; nothing leaves the machine.
import { useEffect, useState } from 'react'
import QRCode from 'qrcode'

export function QrCode ({ text, size, alt, testId }: { text: string, size: number, alt: string, testId?: string }) {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    let current = true
    // Low error correction keeps long texts (invites) scannable at this size.
    QRCode.toDataURL(text, { errorCorrectionLevel: 'L', margin: 1, width: size }).then(u => { if (current) setUrl(u) }, () => { if (current) setUrl(null) })
    return () => { current = false }
  }, [text, size])
  return url == null ? null : <img src={url} alt={alt} width={size} height={size} data-testid={testId} />
}
