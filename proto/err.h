/* SPDX-License-Identifier: Apache-2.0 */
/* The project's error list: 0 ok, negative error, positive count. */
#ifndef TN_ERR_H
#define TN_ERR_H


#define TN_WUR __attribute__((warn_unused_result))

#define TN_ERRORS(X)                                                        \
	X(NOMEM, -1, "out of memory")                                       \
	X(IO, -2, "input/output error")                                     \
	X(FRAME, -3, "malformed frame")                                     \
	X(TOO_BIG, -4, "frame or value too big")                            \
	X(DECODE, -5, "malformed msgpack")                                  \
	X(FIELD, -6, "missing or ill-typed field")                          \
	X(INVALID, -7, "invalid value")                                     \
	X(NOT_FOUND, -8, "not found")                                       \
	X(EXISTS, -9, "already exists")                                     \
	X(MAP_FULL, -10, "store is full")                                   \
	X(STORE, -11, "store error")                                        \
	X(CRYPTO, -12, "cryptographic failure")                             \
	X(BAD_SIG, -13, "bad signature")                                    \
	X(UNKNOWN_PEER, -14, "unknown peer")                                \
	X(REPLAY, -15, "replayed message")                                  \
	X(STALE, -16, "timestamp outside the accepted window")              \
	X(AGAIN, -17, "try again")                                          \
	X(PERM, -18, "unsafe file permissions")                             \
	X(TLS, -19, "TLS failure")                                          \
	X(CLOSED, -20, "connection closed")                                 \
	X(UNKNOWN_CMD, -21, "unknown command")                              \
	X(BAD_BOX, -22, "envelope does not open")                           \
	X(LIMIT, -23, "limit reached")                                      \
	X(CONFIG, -24, "bad configuration")                                 \
	X(UNSUPPORTED, -25, "unsupported type or version")                  \
	X(NOT_FOR_ME, -26, "message addressed to another node")             \
	X(TIMEOUT, -27, "timed out")                                        \
	X(DISK_FULL, -28, "disk full")                                       \
	X(DENIED, -29, "not allowed")                                       \
	X(JOURNAL, -30, "the store's journal does not match its data file") \
	X(BUSY, -31, "in use by another process")

enum tn_err {
	TN_OK = 0,
#define TN_ERR_ENUM(name, val, msg) TN_ERR_##name = (val),
	TN_ERRORS(TN_ERR_ENUM)
#undef TN_ERR_ENUM
};

/* Human text for a TN_ERR_* code. */
const char *tn_strerror(int err);

#endif
