/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl's side of the console socket: blocking framed requests. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "../../crypto/cx.h"

int ctl_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("tracectl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int ctl_connect(struct ctl *c)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/console.sock",
			 c->dir ? c->dir : "");

	if (!c->dir)
		return ctl_fail("no node directory: use -d DIR or set TRACENET_DIR");
	if (n < 0 || (size_t)n >= sizeof(sa.sun_path))
		return ctl_fail("node directory path too long: %s", c->dir);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return ctl_fail("cannot reach the node at %s: %s (is tracenetd running?)",
				sa.sun_path, strerror(errno));
	proto_framer_init(&c->in, PROTO_CONSOLE_FRAME_MAX);
	return 0;
}

int ctl_send(struct ctl *c, enum tn_cmd cmd, const void *args)
{
	const struct proto_schema *s = tn_cmds[cmd].args;
	struct proto_buf body = { 0 }, frame = { 0 };
	struct proto_writer *w;
	int rc;

	if (c->fd < 0 && ctl_connect(c))
		return 1;
	w = proto_writer_new(&body);
	rc = !w;

	if (w) {
		rc = proto_w_map(w, s ? 2 : 1) || proto_w_str(w, "cmd") ||
		     proto_w_str(w, tn_cmds[cmd].name);
		if (!rc && s)
			rc = proto_w_str(w, "args") || proto_w_obj(w, s, args);
		proto_writer_free(w);
	}
	if (!rc)
		rc = proto_frame_write(&frame, body.data, body.len);
	if (!rc)
		rc = cx_write_all(c->fd, frame.data, frame.len);
	proto_buf_free(&body);
	proto_buf_free(&frame);
	return rc ? ctl_fail("%s: cannot send the request", tn_cmds[cmd].name) : 0;
}

/* The connection to the node is lost: one line, or (quiet_io) a note in
 * c->lost for the caller's own line. */
static int lost(struct ctl *c, const char *what)
{
	if (!c->quiet_io)
		return ctl_fail("%s", what);
	proto_strcpy(c->lost, sizeof(c->lost), what);
	return 1;
}

int ctl_send_frame(struct ctl *c, const void *frame, size_t len)
{
	if (c->fd < 0 && ctl_connect(c))
		return 1;
	return cx_write_all(c->fd, frame, len) ? lost(c, "cannot send the request") : 0;
}

static int read_frame(struct ctl *c, const uint8_t **body, size_t *len)
{
	uint8_t buf[65536];
	ssize_t n;
	int rc;

	while ((rc = proto_framer_next(&c->in, body, len)) == 0) {
		n = read(c->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return lost(c, "the node closed the console connection");
		if ((rc = proto_framer_feed(&c->in, buf, (size_t)n)))
			break;
	}
	return rc < 0 ? ctl_fail("bad reply from the node: %s", tn_strerror(rc)) : 0;
}

int ctl_recv(struct ctl *c, struct proto_msg **reply)
{
	char err[TN_TEXT_LEN + 64];
	const uint8_t *body;
	size_t len;
	int ok = 0;

	*reply = NULL;
	if (read_frame(c, &body, &len))
		return 1;
	if (proto_msg_parse(reply, body, len) || proto_msg_bool(*reply, "ok", &ok)) {
		proto_msg_free(*reply);
		*reply = NULL;
		return ctl_fail("malformed reply from the node");
	}
	if (ok)
		return 0;
	if (proto_msg_str(*reply, "error", err, sizeof(err)))
		proto_strcpy(err, sizeof(err), "request failed");
	proto_msg_free(*reply);
	*reply = NULL;
	return ctl_fail("%s", err);
}

int ctl_call(struct ctl *c, enum tn_cmd cmd, const void *args, struct proto_msg **reply)
{
	if (ctl_send(c, cmd, args))
		return 1;
	return ctl_recv(c, reply);
}

int ctl_parse_id(const char *what, const char *arg, uint64_t *id)
{
	struct tn_id_arg a = { 0 };

	if (proto_field_set(&proto_id_arg_schema, &a, "id", arg) || !a.id)
		return ctl_fail("bad %s id '%s' (a positive number)", what, arg);
	*id = a.id;
	return 0;
}

const char *ctl_opt_key(const char *arg)
{
	return strcmp(arg, "--case") ? arg + 2 : "case-ref";
}

int ctl_flag(int *argc, char **argv, const char *flag)
{
	for (int i = 0; i < *argc; i++)
		if (!strcmp(argv[i], flag)) {
			memmove(argv + i, argv + i + 1, (size_t)(*argc - i) * sizeof(*argv));
			(*argc)--;
			return 1;
		}
	return 0;
}

int ctl_opts(const struct proto_schema *s, void *obj, int argc, char **argv)
{
	int rc;

	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) || i + 1 >= argc)
			return ctl_fail("expected --option VALUE, got '%s'", argv[i]);
		rc = proto_field_set(s, obj, ctl_opt_key(argv[i]), argv[i + 1]);
		if (rc == TN_ERR_NOT_FOUND)
			return ctl_fail("unknown option %s", argv[i]);
		if (rc)
			return ctl_fail("%s '%s': %s", argv[i], ctl_str(argv[i + 1]),
					rc == TN_ERR_TOO_BIG ? "too long" : "not a valid value");
		i++;
	}
	return 0;
}

/* The reply's data decoded with its schema; a reply without data leaves
 * obj zeroed, so that --json still writes every field. */
static int decode_data(struct proto_msg *m, const struct proto_schema *s, void *obj)
{
	if (proto_msg_json(m, "data", NULL) == TN_ERR_FIELD)
		return 0;
	return proto_msg_decode(m, "data", s, obj);
}

int ctl_output(struct ctl *c, enum tn_cmd cmd, struct proto_msg *m, void (*print)(const void *obj))
{
	const struct proto_schema *s = tn_cmds[cmd].reply;
	void *o = NULL;
	int rc = 0;

	if (!s) {
		if (c->json)
			rc = proto_json_write(NULL, NULL, stdout);
	} else if (!c->json && !print) {
		rc = proto_msg_print(m, "data", stdout);
	} else if (!(o = calloc(1, s->size))) {
		rc = TN_ERR_NOMEM;
	} else if (!(rc = decode_data(m, s, o))) {
		if (c->json)
			rc = proto_json_write(s, o, stdout);
		else
			print(o);
		proto_release(s, o);
	}
	free(o);
	proto_msg_free(m);
	return rc ? ctl_fail("cannot show the reply: %s", tn_strerror(rc)) : 0;
}

int ctl_run(struct ctl *c, enum tn_cmd cmd, const void *args, void (*print)(const void *obj))
{
	struct proto_msg *m;

	if (ctl_call(c, cmd, args, &m))
		return 1;
	return ctl_output(c, cmd, m, print);
}
