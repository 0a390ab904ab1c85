import Foundation
import TestSupport

/// nginx serving static files over HTTPS on 127.0.0.1 (full handshakes only, PEERS.md), for
/// large downloads through the gateway.
final class StaticNginx {
    let peer: PeerProcess
    let port: UInt16
    let root: String

    init(chain: String, key: String, folder: TemporaryDirectory) throws {
        _ = try requireProgram("nginx", package: "nginx")
        port = try freeLoopbackPort()
        let base = folder.file("static-nginx")
        root = base + "/www"
        try FileManager.default.createDirectory(atPath: base + "/tmp", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try folder.write("static-nginx/nginx.conf", """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(base)/nginx.pid;
            error_log stderr notice;
            events { worker_connections 256; }
            http {
                access_log off;
                sendfile on;
                client_body_temp_path \(base)/tmp/body;
                proxy_temp_path \(base)/tmp/proxy;
                fastcgi_temp_path \(base)/tmp/fastcgi;
                uwsgi_temp_path \(base)/tmp/uwsgi;
                scgi_temp_path \(base)/tmp/scgi;
                server {
                    listen 127.0.0.1:\(port) ssl;
                    server_name www.dane.test;
                    ssl_certificate \(chain);
                    ssl_certificate_key \(key);
                    ssl_session_tickets off;
                    ssl_session_cache off;
                    root \(root);
                    location = /host { default_type text/plain; return 200 "host=$host\\n"; }
                }
            }

            """)
        peer = try PeerProcess("nginx", ["-p", base, "-c", base + "/nginx.conf", "-e", "stderr"], package: "nginx")
        try waitForListener(port: port, peer: peer)
    }

    deinit {
        peer.kill()
    }
}

/// A small XMPP client (python3): opens a stream to the domain, logs in with SASL PLAIN, binds
/// a resource, sends a message to its own full JID and waits for it to come back. Speaks
/// plaintext: the gateway does the TLS upstream. Prints each step.
let xmppClientScript = """
    import base64, re, socket, sys
    host, port, domain, user, password, body = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
    s = socket.create_connection((host, port), timeout=20)
    buffer = b''
    def read_until(pattern):
        global buffer
        while not re.search(pattern, buffer, re.S):
            chunk = s.recv(65536)
            if not chunk:
                print('CLOSED', buffer.decode(errors='replace'), flush=True)
                sys.exit(1)
            buffer += chunk
        match = re.search(pattern, buffer, re.S)
        found = buffer[:match.end()]
        buffer = buffer[match.end():]
        return found.decode(errors='replace')
    def open_stream():
        s.sendall(("<?xml version='1.0'?><stream:stream to='%s' version='1.0' xmlns='jabber:client' "
                   "xmlns:stream='http://etherx.jabber.org/streams'>" % domain).encode())
        return read_until(rb'</stream:features>|<stream:error>.*</stream:error>')
    features = open_stream()
    if 'stream:error' in features:
        print('STREAM-ERROR', features, flush=True)
        sys.exit(2)
    print('FEATURES', features, flush=True)
    token = base64.b64encode(b'\\0' + user.encode() + b'\\0' + password.encode()).decode()
    s.sendall(("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>%s</auth>" % token).encode())
    print('AUTH', read_until(rb'<success[^>]*/>|<success.*?</success>|<failure.*?</failure>'), flush=True)
    open_stream()
    s.sendall(b"<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>gw</resource></bind></iq>")
    bound = read_until(rb'</iq>')
    jid = re.search(r'<jid>([^<]+)</jid>', bound).group(1)
    print('BOUND', jid, flush=True)
    s.sendall(("<message to='%s' type='chat' id='m1'><body>%s</body></message>" % (jid, body)).encode())
    print('MESSAGE', read_until(rb'<message.*?</message>'), flush=True)
    s.sendall(b'</stream:stream>')
    s.close()
    """

/// A small IRC client (python3): registers, joins a channel and waits for the end of NAMES.
let ircClientScript = """
    import socket, sys
    host, port, nick, channel = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    s = socket.create_connection((host, port), timeout=20)
    s.sendall(('NICK %s\\r\\nUSER %s 0 * :gateway test\\r\\n' % (nick, nick)).encode())
    buffer = b''
    joined = False
    while True:
        chunk = s.recv(65536)
        if not chunk:
            print('CLOSED', buffer.decode(errors='replace'), flush=True)
            sys.exit(1)
        buffer += chunk
        while b'\\r\\n' in buffer:
            line, buffer = buffer.split(b'\\r\\n', 1)
            text = line.decode(errors='replace')
            print(text, flush=True)
            parts = text.split(' ')
            if parts[0] == 'PING':
                s.sendall(('PONG %s\\r\\n' % parts[1]).encode())
            elif len(parts) > 1 and parts[1] == '001' and not joined:
                joined = True
                s.sendall(('JOIN %s\\r\\n' % channel).encode())
            elif len(parts) > 1 and parts[1] == '366':
                print('JOINED', channel, flush=True)
                s.sendall(b'QUIT :done\\r\\n')
                sys.exit(0)
    """

/// Postfix that accepts mail for `alice@dane.test` with STARTTLS and delivers it to a Maildir
/// (virtual delivery as user postfix; PEERS.md: virtual_mailbox_limit not below
/// message_size_limit).
final class DeliveringPostfix {
    let server: PostfixServer

    var port: UInt16 { server.port }
    var folder: TemporaryDirectory { server.folder }

    init(chain: String, key: String, hostName: String) throws {
        // The virtual delivery agent writes as the postfix user.
        let uid = try run("id", ["-u", "postfix"]).check("id -u postfix").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let gid = try run("id", ["-g", "postfix"]).check("id -g postfix").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        server = try PostfixServer(
            chain: chain, key: key, hostName: hostName,
            mainExtra: { root in
                """
                virtual_mailbox_domains = dane.test
                virtual_mailbox_base = \(root)/mail
                virtual_mailbox_maps = inline:{ alice@dane.test=alice/ }
                virtual_uid_maps = static:\(uid)
                virtual_gid_maps = static:\(gid)
                virtual_minimum_uid = 100
                virtual_mailbox_limit = 0
                message_size_limit = 0
                queue_run_delay = 1s
                """
            },
            masterExtra: """
                cleanup   unix  n       -       n       -       0       cleanup
                qmgr      unix  n       -       n       1       1       qmgr
                rewrite   unix  -       -       n       -       -       trivial-rewrite
                bounce    unix  -       -       n       -       0       bounce
                defer     unix  -       -       n       -       0       bounce
                trace     unix  -       -       n       -       0       bounce
                verify    unix  -       -       n       -       1       verify
                error     unix  -       -       n       -       -       error
                retry     unix  -       -       n       -       -       error
                discard   unix  -       -       n       -       -       discard
                virtual   unix  -       n       n       -       -       virtual
                scache    unix  -       -       n       -       1       scache
                """)
    }

    func stop() {
        server.stop()
    }

    /// The messages delivered to alice so far (full paths).
    func deliveredMessages() -> [String] {
        let new = folder.file("mail/alice/new")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: new)) ?? []
        return names.sorted().map { new + "/" + $0 }
    }
}

/// Prints the SHA-256 of each attachment of a mail file (python3's email parser).
let attachmentDigestScript = """
    import email, hashlib, sys
    message = email.message_from_binary_file(open(sys.argv[1], 'rb'))
    for part in message.walk():
        if part.get_filename():
            print(part.get_filename(), hashlib.sha256(part.get_payload(decode=True)).hexdigest())
    """
