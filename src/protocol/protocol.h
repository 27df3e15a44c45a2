// The public header of protocol/: the wire shapes of docs/PROTOCOL.md, shared by
// the REST handlers, the realtime hub and the WebSocket session — JSON views of
// store objects, and the parser of what a WebSocket client may send.
#pragma once

#include "views.h"
#include "ws_frames.h"
