package lb.bench.e2e;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Line plots of the medians with Java2D (headless): Mpps against flow count (log scale; solid uniform,
 * dashed skewed) and Mpps against burst size.
 */
final class Plot {
    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Color[] COLORS = {
        new Color(0x44, 0x44, 0x44), new Color(0x99, 0x99, 0x99), new Color(0x1f, 0x77, 0xb4),
        new Color(0xff, 0x7f, 0x0e), new Color(0xd6, 0x27, 0x28)};

    private Plot() {
    }

    static boolean flows(final List<Map<String, Object>> medians, final Path png) throws IOException {
        return draw(medians, "flows", "flows", "Mpps against distinct flows (burst 32, one core)", "distinct flows",
            png);
    }

    /** The load balancers only (C reference and Java full), on their own scale. */
    static boolean balancers(final List<Map<String, Object>> medians, final Path png) throws IOException {
        return draw(medians.stream().filter(m -> m.containsKey("verdicts")).toList(), "flows", "flows",
            "Load balancers: Mpps against distinct flows (burst 32, one core)", "distinct flows", png);
    }

    static boolean bursts(final List<Map<String, Object>> medians, final Path png) throws IOException {
        return draw(medians, "burst", "burst", "Mpps against burst size (one core)", "burst size", png);
    }

    private static boolean draw(final List<Map<String, Object>> medians, final String series, final String xField,
        final String title, final String xLabel, final Path png) throws IOException {
        final Map<String, List<double[]>> lines = new LinkedHashMap<>();
        double maxY = 0;
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        for (final Map<String, Object> m : medians) {
            if (!m.get("series").equals(series)) {
                continue;
            }
            final double x = ((Number)m.get(xField)).doubleValue();
            final double y = (Double)m.get("mpps");
            final String name = m.get("contender") + (series.equals("flows") ? " " + m.get("distribution") : "");
            lines.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {x, y});
            maxY = Math.max(maxY, y);
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
        }
        if (lines.isEmpty()) {
            return false;
        }
        System.setProperty("java.awt.headless", "true");
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        final int plotW = WIDTH - LEFT - RIGHT;
        final int plotH = HEIGHT - TOP - BOTTOM;
        final double yTop = Math.ceil(maxY * 1.1 / 5) * 5;
        final double lx0 = Math.log10(minX);
        final double lx1 = Math.max(Math.log10(maxX), lx0 + 1e-9);
        // Axes and grid.
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (int i = 0; i <= 5; i++) {
            final int y = TOP + plotH - (int)(plotH * i / 5.0);
            g.setColor(new Color(0xE0, 0xE0, 0xE0));
            g.drawLine(LEFT + 1, y, LEFT + plotW - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.0f", yTop * i / 5), LEFT - 35, y + 4);
        }
        final java.util.TreeSet<Double> xs = new java.util.TreeSet<>();
        lines.values().forEach(l -> l.forEach(p -> xs.add(p[0])));
        for (final double x : xs) {
            final int px = LEFT + (int)(plotW * (lx1 == lx0 ? 0.5 : (Math.log10(x) - lx0) / (lx1 - lx0)));
            g.drawLine(px, TOP + plotH, px, TOP + plotH + 5);
            final String label = x >= 1e6 ? String.format(Locale.ROOT, "%.0fM", x / 1e6) :
                x >= 1e3 ? String.format(Locale.ROOT, "%.0fK", x / 1e3) : String.format(Locale.ROOT, "%.0f", x);
            g.drawString(label, px - 10, TOP + plotH + 20);
        }
        g.drawString(xLabel, LEFT + plotW / 2 - 40, HEIGHT - 25);
        g.rotate(-Math.PI / 2);
        g.drawString("Mpps", -(TOP + plotH / 2) - 15, 25);
        g.rotate(Math.PI / 2);
        // Lines.
        int legend = 0;
        for (final Map.Entry<String, List<double[]>> line : lines.entrySet()) {
            final String contender = line.getKey().split(" ")[0];
            final Color color = COLORS[Contender.byLabel(contender).ordinal() % COLORS.length];
            final boolean dashed = line.getKey().endsWith("skewed");
            final Stroke stroke = dashed ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                new float[] {8f, 6f}, 0f) : new BasicStroke(2.5f);
            g.setColor(color);
            g.setStroke(stroke);
            final List<double[]> points = line.getValue();
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            int lastX = -1;
            int lastY = -1;
            for (final double[] p : points) {
                final int px = LEFT + (int)(plotW * (lx1 == lx0 ? 0.5 : (Math.log10(p[0]) - lx0) / (lx1 - lx0)));
                final int py = TOP + plotH - (int)(plotH * p[1] / yTop);
                g.fillOval(px - 3, py - 3, 7, 7);
                if (lastX >= 0) {
                    g.drawLine(lastX, lastY, px, py);
                }
                lastX = px;
                lastY = py;
            }
            final int ly = TOP + 10 + 22 * legend++;
            g.drawLine(LEFT + plotW + 15, ly, LEFT + plotW + 45, ly);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawString(line.getKey(), LEFT + plotW + 52, ly + 4);
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
        return true;
    }
}
