"""Live video inspection (云踏勘/视频勘验): who may join a task's call, the signalling
websocket, ICE (STUN/TURN) configuration and the chunked recording of the call."""
