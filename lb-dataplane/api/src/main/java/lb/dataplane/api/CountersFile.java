package lb.dataplane.api;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.OptionalLong;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * Read-only view of the counters in an Aeron directory's CnC file, as AeronStat reads them: tools and
 * tests read the dataplane's counters without asking the dataplane.
 */
public final class CountersFile implements AutoCloseable {
    private final MappedByteBuffer cnc;
    private final CountersReader reader;

    private CountersFile(final MappedByteBuffer cnc, final CountersReader reader) {
        this.cnc = cnc;
        this.reader = reader;
    }

    /**
     * Maps {@code aeronDir/cnc.dat}.
     *
     * @param aeronDir the Aeron directory of the driver the dataplane uses.
     * @return the mapped counters.
     * @throws IllegalStateException when there is no CnC file, the driver has not finished creating it, or its
     *                               version is not this Aeron's.
     */
    public static CountersFile open(final Path aeronDir) {
        final File file = aeronDir.resolve(CncFileDescriptor.CNC_FILE).toFile();
        if (!file.isFile()) {
            throw new IllegalStateException("no Aeron CnC file at " + file + ": is the dataplane running with " +
                "--aeron-dir " + aeronDir + "?");
        }
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(file, "cnc");
        // The driver creates the file before it sizes it: until then it is shorter than its header.
        if (cnc.capacity() < CncFileDescriptor.END_OF_METADATA_OFFSET) {
            BufferUtil.free(cnc);
            throw new IllegalStateException("the CnC file at " + file + " is not ready yet");
        }
        final UnsafeBuffer meta = CncFileDescriptor.createMetaDataBuffer(cnc);
        final int version = meta.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
        if (version == 0) {
            BufferUtil.free(cnc);
            throw new IllegalStateException("the CnC file at " + file + " is not ready yet");
        }
        CncFileDescriptor.checkVersion(version);
        final CountersReader reader = new CountersReader(
            CncFileDescriptor.createCountersMetaDataBuffer(cnc, meta),
            CncFileDescriptor.createCountersValuesBuffer(cnc, meta));
        return new CountersFile(cnc, reader);
    }

    /**
     * @return the Aeron directory a dataplane uses when none is given.
     */
    public static String defaultAeronDir() {
        return CommonContext.getAeronDirectoryName() + "-lb";
    }

    /**
     * @return the reader over every counter in the file.
     */
    public CountersReader reader() {
        return reader;
    }

    /**
     * @param typeId counter type, see {@link CounterTypes}.
     * @param key    the int key (worker, port or pool id).
     * @return the value of the allocated counter with that type and key, if there is one.
     */
    public OptionalLong value(final int typeId, final int key) {
        final long[] found = {Long.MIN_VALUE};
        reader.forEach((counterId, type, keyBuffer, label) -> {
            if (type == typeId && keyBuffer.getInt(0) == key) {
                found[0] = reader.getCounterValue(counterId);
            }
        });
        return found[0] == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(found[0]);
    }

    @Override
    public void close() {
        BufferUtil.free(cnc);
    }
}
