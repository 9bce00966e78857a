"""Debian's python3-websockets client run through a client-testing
server's Autobahn fuzzing-server API, for .ci/clients.sh.

Usage: websockets_client.py BASE_URL AGENT. The way client projects drive
Autobahn: read /getCaseCount, then for each case open
/runCase?case=N&agent=AGENT and echo every message until the server
closes, then /updateReports. Defaults except max_size, raised from 1 MiB
to 32 MiB so that Autobahn's category 9 (messages up to 16 MiB) is tested
rather than refused.
"""
import asyncio
import sys
import urllib.parse

import websockets


async def echo(uri):
    try:
        async with websockets.connect(uri, max_size=32 << 20) as ws:
            async for message in ws:
                await ws.send(message)
    except (websockets.ConnectionClosed, websockets.InvalidHandshake, OSError):
        pass


async def main(base, agent):
    async with websockets.connect(base + "/getCaseCount") as ws:
        count = int(await ws.recv())
    q = urllib.parse.quote(agent)
    for i in range(1, count + 1):
        await echo(f"{base}/runCase?case={i}&agent={q}")
    async with websockets.connect(f"{base}/updateReports?agent={q}") as ws:
        try:
            await ws.recv()
        except websockets.ConnectionClosed:
            pass
    print(f"python-websockets client: ran {count} cases")


asyncio.run(main(sys.argv[1], sys.argv[2]))
