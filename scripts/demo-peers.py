#!/usr/bin/env python3
"""The scripted peers of scripts/demo, standard library only.

  demo-peers.py smtp-server CHAIN KEY NAME   an MTA on 127.0.0.1:0 that offers STARTTLS (RFC 3207) and
                                             takes mail only inside TLS
  demo-peers.py irc-server CHAIN KEY NAME    an IRC server on 127.0.0.1:0 over TLS from the first byte
                                             (RFC 7194): registration, JOIN, PRIVMSG
  demo-peers.py irc-client PORT NICK CHANNEL TEXT
                                             a plaintext IRC client: registers, joins, says TEXT, quits

The servers print `ACCEPT 127.0.0.1:<port>` once listening, then one line per thing they received
(`DELIVERED ...`, `PRIVMSG ...`), which the demo checks. The client prints the conversation and
exits 0 when the server closed after the client had joined (it saw the channel's names list), 1
otherwise. The servers end TLS with close_notify before they close.
"""
import socket
import ssl
import sys
import threading

MAX_LINE = 4096  # RFC 5321 §4.5.3.1.6 allows 1000 octets per text line; IRC lines are 512


def serve(handler, chain, key, name):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certfile=chain, keyfile=key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print("ACCEPT 127.0.0.1:%d" % listener.getsockname()[1], flush=True)
    while True:
        connection, _ = listener.accept()
        connection.settimeout(30)
        threading.Thread(target=session, args=(handler, connection, context, name), daemon=True).start()


def session(handler, connection, context, name):
    try:
        handler(connection, context, name)
    except (OSError, ValueError) as error:
        print("%s: session ended: %s" % (name, error), flush=True)
    finally:
        connection.close()


def close_notify(stream):
    """Ends TLS with a close_notify alert (RFC 8446 §6.1): without it, the end of the stream
    cannot be told from a truncation, and the gateway records the connection as an error."""
    if isinstance(stream, ssl.SSLSocket):
        stream.unwrap()


def smtp_session(connection, context, name):
    """RFC 5321 with RFC 3207: mail commands are refused until STARTTLS (530 5.7.0)."""
    stream, reader = connection, connection.makefile("rb")
    stream.sendall(b"220 %s ESMTP demo\r\n" % name.encode())
    tls, sender, recipients = False, None, []
    while True:
        line = reader.readline(MAX_LINE)
        if not line:
            return
        command = line.decode("ascii", "replace").strip()
        verb = command.split(" ", 1)[0].upper()
        if verb in ("EHLO", "HELO"):
            extensions = ["PIPELINING", "8BITMIME"] + ([] if tls else ["STARTTLS"])
            lines = [name] + extensions
            stream.sendall(b"".join(b"250%s%s\r\n" % (b" " if i == len(lines) - 1 else b"-", text.encode())
                                    for i, text in enumerate(lines)))
        elif verb == "STARTTLS" and not tls:
            stream.sendall(b"220 2.0.0 Ready to start TLS\r\n")
            stream = context.wrap_socket(connection, server_side=True)
            reader, tls = stream.makefile("rb"), True
        elif verb in ("MAIL", "RCPT", "DATA") and not tls:
            stream.sendall(b"530 5.7.0 Must issue a STARTTLS command first\r\n")
        elif verb == "MAIL":
            sender, recipients = command[10:].strip(), []
            stream.sendall(b"250 2.1.0 Ok\r\n")
        elif verb == "RCPT":
            recipients.append(command[8:].strip())
            stream.sendall(b"250 2.1.5 Ok\r\n")
        elif verb == "DATA" and sender is not None and recipients:
            stream.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            size, subject = 0, ""
            while True:
                data = reader.readline(MAX_LINE)
                if not data or data == b".\r\n":
                    break
                size += len(data)
                if data.lower().startswith(b"subject:") and not subject:
                    subject = data[8:].decode("utf-8", "replace").strip()
            if not data:
                return
            print("DELIVERED from %s to %s, %d bytes, Subject: %s, over %s"
                  % (sender, ",".join(recipients), size, subject, stream.version()), flush=True)
            stream.sendall(b"250 2.0.0 Ok: queued as DEMO\r\n")
            sender, recipients = None, []
        elif verb in ("RSET", "NOOP"):
            sender, recipients = (None, []) if verb == "RSET" else (sender, recipients)
            stream.sendall(b"250 2.0.0 Ok\r\n")
        elif verb == "QUIT":
            stream.sendall(b"221 2.0.0 Bye\r\n")
            return close_notify(stream)
        else:
            stream.sendall(b"502 5.5.2 Error: command not recognized\r\n")


def irc_session(connection, context, name):
    """RFC 2812, the little a client needs: 001 after NICK and USER, JOIN with the names list
    (353, 366), PRIVMSG, PING, QUIT."""
    stream = context.wrap_socket(connection, server_side=True)
    reader = stream.makefile("rb")
    nick, user = None, None

    def send(text):
        stream.sendall(text.encode() + b"\r\n")

    while True:
        line = reader.readline(MAX_LINE)
        if not line:
            return
        parts = line.decode("utf-8", "replace").rstrip("\r\n").split(" ", 2)
        verb = parts[0].upper()
        if verb == "NICK" and len(parts) > 1:
            nick = parts[1]
        elif verb == "USER" and len(parts) > 1:
            user = parts[1]
        elif verb == "JOIN" and nick and len(parts) > 1:
            channel = parts[1]
            send(":%s!%s@demo JOIN %s" % (nick, user, channel))
            send(":%s 353 %s = %s :%s" % (name, nick, channel, nick))
            send(":%s 366 %s %s :End of /NAMES list." % (name, nick, channel))
        elif verb == "PRIVMSG" and len(parts) > 2:
            print("PRIVMSG from %s to %s: %s over %s" % (nick, parts[1], parts[2].lstrip(":"), stream.version()), flush=True)
        elif verb == "PING":
            send(":%s PONG %s %s" % (name, name, parts[1] if len(parts) > 1 else ""))
        elif verb == "QUIT":
            send("ERROR :Closing Link: %s (Quit)" % nick)
            return close_notify(stream)
        if verb in ("NICK", "USER") and nick and user:
            send(":%s 001 %s :Welcome to the demo IRC network, %s" % (name, nick, nick))


def irc_client(port, nick, channel, text):
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    reader = connection.makefile("rb")

    def send(line):
        print("-> " + line, flush=True)
        connection.sendall(line.encode() + b"\r\n")

    send("NICK %s" % nick)
    send("USER %s 0 * :danegate demo" % nick)
    joined = False
    while True:
        line = reader.readline(MAX_LINE)
        if not line:
            print("(the connection closed)", flush=True)
            return 0 if joined else 1
        text_line = line.decode("utf-8", "replace").rstrip("\r\n")
        print("<- " + text_line, flush=True)
        fields = text_line.split(" ")
        if len(fields) > 1 and fields[1] == "001":
            send("JOIN %s" % channel)
        elif len(fields) > 1 and fields[1] == "366":
            joined = True
            send("PRIVMSG %s :%s" % (channel, text))
            send("QUIT :bye")


def main(arguments):
    if len(arguments) == 4 and arguments[0] == "smtp-server":
        serve(smtp_session, *arguments[1:])
    elif len(arguments) == 4 and arguments[0] == "irc-server":
        serve(irc_session, *arguments[1:])
    elif len(arguments) == 5 and arguments[0] == "irc-client":
        return irc_client(int(arguments[1]), *arguments[2:])
    else:
        print(__doc__, file=sys.stderr)
        return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
