package dev.strata.scheduler.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * GPU allocation rate against arrival, one line per policy, as the FGD paper's figures draw it:
 * rendered to a PNG without a display.
 */
public final class AllocationPlot {

  public static final int WIDTH = 800;
  public static final int HEIGHT = 500;

  // Distinct on white, in the order policies are listed.
  private static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x7f7f7f),
    new Color(0xbcbd22),
    new Color(0x17becf)
  };

  private AllocationPlot() {}

  /**
   * Writes the chart to {@code file} (a {@code .png} suffix is added when missing).
   *
   * @param curves per policy, the rate at arrival 0, 1, ..., n-1 %; NaN where no run got there
   */
  public static void write(Path file, String title, Map<String, double[]> curves)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("arrived GPU demand (% of GPU capacity)")
            .yAxisTitle("GPU allocation rate (%)")
            .build();
    Styler styler = chart.getStyler();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(220, 220, 220));
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(130.0);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    chart.getStyler().setYAxisDecimalPattern("0");
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setMarkerSize(0);
    styler.setAntiAlias(true);
    styler.setSeriesColors(COLORS);
    for (Map.Entry<String, double[]> entry : curves.entrySet()) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      double[] curve = entry.getValue();
      for (int x = 0; x < curve.length; x++) {
        if (!Double.isNaN(curve[x])) {
          xs.add((double) x);
          ys.add(curve[x]);
        }
      }
      if (xs.isEmpty()) {
        continue;
      }
      XYSeries series = chart.addSeries(entry.getKey(), xs, ys);
      series.setMarker(SeriesMarkers.NONE);
      series.setLineStyle(new BasicStroke(1.6f));
    }
    String name = file.toString();
    String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
  }
}
