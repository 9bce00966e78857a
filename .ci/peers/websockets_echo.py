"""An echo server on Debian's python3-websockets, for .ci/peers.sh.

Defaults except max_size, raised from 1 MiB to 16 MiB so that Autobahn's
category 9 (messages up to 16 MiB) is tested rather than refused.
Compression is websockets' default, compression="deflate": permessage-deflate
is accepted when offered. It listens on a free port of 127.0.0.1 and prints
the port.
"""
import asyncio

import websockets


async def echo(ws, path=None):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    async with websockets.serve(echo, "127.0.0.1", 0, max_size=16 << 20, compression="deflate") as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
