// The simulator runners' SSE client: opens a gateway stream with fetch (as a user's script would,
// headers allowed, unlike EventSource) and reads its first messages, so a step can say what came.
export interface SseRead {
    status: number
    contentType: string | null
    /** The messages read (comments such as `: ping` skipped); an error body as `{error}` when not 200. */
    messages: { event: string; data: any }[]
    error?: string
}

/** The first `n` messages of the stream at `url`, or what came within `timeoutMs`. */
export async function readStream(url: string, n: number, timeoutMs: number, headers: Record<string, string> = {}): Promise<SseRead> {
    const ctl = new AbortController()
    const timer = setTimeout(() => ctl.abort(), timeoutMs)
    const messages: SseRead["messages"] = []
    let res: Response | undefined
    try {
        res = await fetch(url, { headers, signal: ctl.signal })
        const contentType = res.headers.get("content-type")
        if (res.status !== 200) return { status: res.status, contentType, messages, error: ((await res.json()) as any).error }
        let text = ""
        for await (const chunk of res.body as any) {
            text += Buffer.from(chunk).toString("utf8")
            let cut: number
            while ((cut = text.indexOf("\n\n")) >= 0) {
                const lines = text.slice(0, cut).split("\n").filter(l => !l.startsWith(":"))
                text = text.slice(cut + 2)
                if (!lines.length) continue
                const event = lines.find(l => l.startsWith("event: "))?.slice(7) ?? "message"
                const data = lines.filter(l => l.startsWith("data: ")).map(l => l.slice(6)).join("\n")
                messages.push({ event, data: JSON.parse(data) })
                if (messages.length >= n) return { status: 200, contentType, messages }
            }
        }
        return { status: 200, contentType, messages }
    } catch (e: any) {
        if (e.name !== "AbortError") throw e
        return { status: res?.status ?? 0, contentType: res?.headers.get("content-type") ?? null, messages }
    } finally {
        clearTimeout(timer)
        ctl.abort()
    }
}
