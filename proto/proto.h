/* SPDX-License-Identifier: Apache-2.0 */
/* proto: the project's error list, byte buffers, framing, the schema-driven
 * msgpack codec, message structs, the console command registry, serial
 * normalization and CSV parsing.
 * Pure: no sockets, no files, no clock. Only this module includes msgpack.
 * This header gathers the module's headers; a file that needs one area
 * includes that area's header instead. */
#ifndef TN_PROTO_H
#define TN_PROTO_H

#include "err.h"
#include "buf.h"
#include "frame.h"
#include "codec.h"
#include "record.h"
#include "wire.h"
#include "rows.h"
#include "console.h"
#include "merkle.h"
#include "stats.h"
#include "cmds.h"
#include "csv.h"
#include "import.h"

#endif
