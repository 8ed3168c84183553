package lb.dataplane.dpdk;

/**
 * A DPDK call failed; the message names the call, its subject and DPDK's reason.
 */
public final class DpdkException extends RuntimeException {
    private final int errno;

    DpdkException(String call, int errno) {
        super(call + " failed: " + Eal.strerror(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    DpdkException(String message) {
        super(message);
        this.errno = 0;
    }

    /**
     * @return the positive errno DPDK reported, or 0 when the failure had none.
     */
    public int errno() {
        return errno;
    }

    /**
     * Throws unless {@code ret} is zero or positive; DPDK returns {@code -errno} on failure.
     *
     * @param ret  the return value.
     * @param call what was called, on what, for the message.
     * @return ret.
     */
    static int check(int ret, String call) {
        if (ret < 0) {
            throw new DpdkException(call, -ret);
        }
        return ret;
    }
}
