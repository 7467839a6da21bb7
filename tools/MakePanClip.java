import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.stylesweep.video.VideoCodec;

/**
 * Makes the bundled clip samples/video/cat-pan.mp4 (CC0, like the photo it is cut from): a camera
 * panning right and slightly down over samples/content/cat.png while zooming in a little, 36 frames
 * of 192 x 128 at 12 fps (3 s), H.264. The motion is smooth and known, and the zoom makes the flow
 * vary over the frame.
 *
 * <p>Run from the repository root after a build:
 * {@code java -cp target/classes:$(cat target/classpath.txt) tools/MakePanClip.java}.
 */
public class MakePanClip {
  public static void main(String[] args) throws Exception {
    BufferedImage cat = ImageIO.read(new File("samples/content/cat.png")); // 451 x 300
    int w = 192;
    int h = 128;
    int n = 36;
    List<BufferedImage> frames = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      double s = t / (double) (n - 1);
      // The window: 300 x 200 px of the photo moving right and down, shrinking by 10 %.
      double ww = 300 * (1 - 0.1 * s);
      double wh = ww * h / w;
      double x0 = 20 + 110 * s;
      double y0 = 40 + 30 * s;
      BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = frame.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      // Sub-pixel motion: an affine map rather than an integer source rectangle.
      java.awt.geom.AffineTransform view = new java.awt.geom.AffineTransform();
      view.scale(w / ww, w / ww);
      view.translate(-x0, -y0);
      g.drawImage(cat, view, null);
      g.dispose();
      frames.add(frame);
    }
    String target = new File("samples/video/cat-pan.mp4").getAbsoluteFile().toURI().toString();
    VideoCodec.writeMp4(frames, 12, 1.0, new Path(target), new Configuration());
    System.out.println("wrote " + target + " (" + new File("samples/video/cat-pan.mp4").length() + " bytes)");
  }
}
