package lb.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the table benchmarks share: which table, how many entries, the table and the numbers of the keys in it.
 */
@State(Scope.Thread)
public abstract class NumberedTableState {
    /** Which table. */
    @Param({"connection", "affinity"})
    public String table;

    /** Live entries. */
    @Param({"1000", "100000", "1000000", "10000000"})
    public int entries;

    NumberedTable keys;
    /** The numbers of the resident keys in the table, {@code entries} of them once filled. */
    int[] resident;

    /**
     * Creates the empty table, sized for {@code entries}; call from the subclass's trial setup.
     */
    void create() {
        keys = NumberedTable.create(table, entries);
        resident = new int[entries];
    }

    @TearDown(Level.Trial)
    public void close() {
        keys.close();
    }
}
