try { await fetch('http://127.0.0.1:9/mcp', { signal: AbortSignal.timeout(1000) }) } catch (e) { console.log((e as any).name, (e as any).message, (e as any).cause) }
