package lb.dataplane.it;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * A real TCP server and client for the process tests, run as its own JVM inside a network namespace
 * ({@code ip netns exec NS java … TcpEcho …}), since a JVM cannot move its sockets between namespaces.
 *
 * <p>One request per connection: the client sends a 4-byte length and that many random bytes; the
 * server answers with their SHA-256 followed by the bytes themselves and closes. So the bytes are
 * checked in both directions, and each side prints one line per connection that the test compares:
 *
 * <pre>
 *   serve ADDRESS PORT                 prints "listening ADDRESS:PORT", then per connection
 *                                      "request PEER LENGTH SHA256"
 *   call ADDRESS PORT COUNT BYTES SEED prints per connection "ok N LOCAL SHA256" or "error N REASON", then
 *                                      "summary OK ERRORS"; exits 0 only when every connection was answered
 * </pre>
 */
public final class TcpEcho {
    private static final int TIMEOUT_MS = 5_000;
    private static final int DIGEST_LENGTH = 32;

    private TcpEcho() {
    }

    public static void main(final String[] args) throws Exception {
        switch (args.length > 0 ? args[0] : "") {
            case "serve" -> serve(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
            case "call" -> System.exit(call(new InetSocketAddress(args[1], Integer.parseInt(args[2])),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5])));
            default -> {
                System.err.println("usage: TcpEcho serve ADDRESS PORT | call ADDRESS PORT COUNT BYTES SEED");
                System.exit(2);
            }
        }
    }

    /** Serves connections one after the other until the process is stopped. */
    private static void serve(final InetAddress address, final int port) throws IOException, NoSuchAlgorithmException {
        try (ServerSocket server = new ServerSocket(port, 50, address)) {
            System.out.println("listening " + address.getHostAddress() + ":" + port);
            System.out.flush();
            while (true) {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(TIMEOUT_MS);
                    final DataInputStream in = new DataInputStream(socket.getInputStream());
                    final byte[] request = new byte[in.readInt()];
                    in.readFully(request);
                    final byte[] digest = sha256(request);
                    final OutputStream out = socket.getOutputStream();
                    out.write(digest);
                    out.write(request);
                    out.flush();
                    System.out.println("request " + socket.getRemoteSocketAddress() + " " + request.length + " " +
                        HexFormat.of().formatHex(digest));
                } catch (final IOException ex) {
                    System.out.println("failed " + ex);
                }
                System.out.flush();
            }
        }
    }

    /** @return the exit status: 0 when every connection was answered with the right bytes. */
    private static int call(final InetSocketAddress server, final int count, final int bytes, final long seed)
        throws NoSuchAlgorithmException {
        final Random random = new Random(seed);
        int ok = 0;
        for (int n = 1; n <= count; n++) {
            final byte[] request = new byte[bytes];
            random.nextBytes(request);
            final byte[] digest = sha256(request);
            try (Socket socket = new Socket()) {
                socket.connect(server, TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
                final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.writeInt(request.length);
                out.write(request);
                out.flush();
                final InputStream in = socket.getInputStream();
                final byte[] answer = in.readAllBytes();
                if (answer.length != DIGEST_LENGTH + request.length ||
                    !Arrays.equals(answer, 0, DIGEST_LENGTH, digest, 0, DIGEST_LENGTH) ||
                    !Arrays.equals(answer, DIGEST_LENGTH, answer.length, request, 0, request.length)) {
                    System.out.println("error " + n + " wrong answer of " + answer.length + " bytes");
                } else {
                    ok++;
                    System.out.println("ok " + n + " " + socket.getLocalSocketAddress() + " " +
                        HexFormat.of().formatHex(digest));
                }
            } catch (final IOException ex) {
                System.out.println("error " + n + " " + ex);
            }
        }
        System.out.println("summary " + ok + " " + (count - ok));
        return ok == count ? 0 : 1;
    }

    private static byte[] sha256(final byte[] bytes) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
