// The launcher process (see launcher.ts), in Python: posix_spawn from a small process is
// several times cheaper than a fork of Node, and Python 3.8+ is on every host Weft targets.
// Kept as a string so the build needs no copying step; String.raw keeps it byte for byte.
export const LAUNCHER_SOURCE = String.raw`# Weft's process launcher: starts step processes for the local executor with posix_spawn
# (vfork speed) from this small process instead of forking the large Node one, and relays
# their output and exit over its stdout. Requests come as JSON lines on stdin. Framing of
# replies: type (1 byte), process id (4 bytes BE), length (4 bytes BE), payload.
#   S pid started (payload: the host pid)   E could not start (payload: message)
#   O stdout bytes   R stderr bytes   D both streams closed   X exited (payload: JSON)
# When stdin closes or Weft dies (PR_SET_PDEATHSIG sends SIGTERM), every process group it
# started is killed and the launcher exits. It runs in its own session, so a terminal's
# Ctrl-C reaches Weft (which stops the run gracefully) and not the launcher.
import ctypes, errno, json, os, selectors, signal, struct, sys

def die_with_parent():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass
    if os.getppid() == 1:
        sys.exit(0)

out = sys.stdout.buffer
def send(kind, pid_id, payload=b''):
    out.write(kind + struct.pack('>II', pid_id, len(payload)) + payload)
    out.flush()

sel = selectors.DefaultSelector()
procs = {}   # pid -> {'id', 'open': set of fds, 'status': exit info once reaped}
streams = {} # fd -> (id, kind, pid)
wake_r, wake_w = os.pipe()
os.set_blocking(wake_w, False)
os.set_blocking(wake_r, False)
signal.set_wakeup_fd(wake_w)
signal.signal(signal.SIGCHLD, lambda *_: None)
sel.register(wake_r, selectors.EVENT_READ, 'wake')
stdin = sys.stdin.buffer.raw
sel.register(stdin.fileno(), selectors.EVENT_READ, 'stdin')
devnull = os.open(os.devnull, os.O_RDONLY)
pending = b''

def resolve(file, env):
    if '/' in file:
        return file
    for d in env.get('PATH', os.defpath).split(':'):
        p = os.path.join(d or '.', file)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None

def start(req):
    ident = req['id']
    path = resolve(req['file'], req['env'])
    if path is None:
        send(b'E', ident, ('spawn %s ENOENT' % req['file']).encode())
        return
    r_out, w_out = os.pipe()
    r_err, w_err = os.pipe()
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, w_out, 1), (os.POSIX_SPAWN_DUP2, w_err, 2)]
    try:
        os.chdir(req.get('cwd') or '/')
        pid = os.posix_spawn(path, [req['file']] + req['args'], req['env'], file_actions=actions, setsid=True)
    except OSError as e:
        for fd in (r_out, w_out, r_err, w_err):
            os.close(fd)
        name = errno.errorcode.get(e.errno, str(e.errno))
        send(b'E', ident, ('spawn %s %s' % (req['file'], name)).encode())
        return
    finally:
        try:
            os.chdir('/')
        except OSError:
            pass
    os.close(w_out)
    os.close(w_err)
    procs[pid] = {'id': ident, 'open': {r_out, r_err}, 'status': None}
    for fd, kind in ((r_out, b'O'), (r_err, b'R')):
        os.set_blocking(fd, False)
        streams[fd] = (ident, kind, pid)
        sel.register(fd, selectors.EVENT_READ, 'stream')
    send(b'S', ident, str(pid).encode())

def close_stream(fd):
    ident, _, pid = streams.pop(fd)
    sel.unregister(fd)
    os.close(fd)
    p = procs.get(pid)
    if p is None:
        return
    p['open'].discard(fd)
    if not p['open']:
        send(b'D', ident)
        if p['status'] is not None:
            del procs[pid]

def reap():
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        p = procs.get(pid)
        if p is None:
            continue
        if os.WIFSIGNALED(status):
            info = {'code': None, 'signal': os.WTERMSIG(status)}
        else:
            info = {'code': os.WEXITSTATUS(status), 'signal': None}
        p['status'] = info
        send(b'X', p['id'], json.dumps(info).encode())
        if not p['open']:
            del procs[pid]

def shutdown():
    for pid in list(procs):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    sys.exit(0)

signal.signal(signal.SIGTERM, lambda *_: shutdown())
signal.signal(signal.SIGINT, signal.SIG_IGN)
die_with_parent()
os.chdir('/')
while True:
    for key, _ in sel.select():
        what = key.data
        if what == 'wake':
            try:
                while os.read(wake_r, 512):
                    pass
            except BlockingIOError:
                pass
            reap()
        elif what == 'stdin':
            chunk = os.read(key.fd, 65536)
            if not chunk:
                shutdown()
            pending += chunk
            while b'\n' in pending:
                line, pending = pending.split(b'\n', 1)
                if line:
                    start(json.loads(line))
        else:
            try:
                data = os.read(key.fd, 65536)
            except BlockingIOError:
                continue
            ident, kind, _ = streams[key.fd]
            if data:
                send(kind, ident, data)
            else:
                close_stream(key.fd)
    reap()
`;
