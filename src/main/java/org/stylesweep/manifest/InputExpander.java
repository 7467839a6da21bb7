package org.stylesweep.manifest;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.stylesweep.common.HadoopFiles;

/**
 * Expands one entry of {@code contents} or {@code styles} into image files, on the driver, through
 * Hadoop's FileSystem (so local disk, HDFS and S3 alike):
 *
 * <ul>
 *   <li>a file: itself;
 *   <li>a folder: the images directly in it (by extension, see {@link #IMAGE_EXTENSIONS});
 *   <li>a glob ({@code *}, {@code ?}, {@code [ab]}, {@code {a,b}}): the files {@link
 *       FileSystem#globStatus} matches; {@code **} as a whole path component matches any number of
 *       folders (e.g. {@code photos/**}{@code /*.png}), by listing the folder before it
 *       recursively.
 * </ul>
 *
 * Every result is sorted by its qualified URI, so the same files give the same list wherever they
 * lie.
 */
public final class InputExpander {

  /** Extensions of the images a folder contributes (lower case, without the dot). */
  public static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

  private final Configuration conf;

  /**
   * @param conf Hadoop configuration for listing
   */
  public InputExpander(Configuration conf) {
    this.conf = conf;
  }

  /** What an entry is. */
  public enum Kind {
    FILE,
    FOLDER,
    GLOB
  }

  /**
   * The files of one entry.
   *
   * @param kind what the entry was
   * @param files the qualified URIs, sorted; empty when a folder holds no image or a glob matches
   *     nothing; for {@link Kind#FILE} the one file (whether or not it exists: see {@link #exists})
   * @param exists false only for a plain path that does not exist
   */
  public record Expansion(Kind kind, List<String> files, boolean exists) {}

  /** True when the text holds a glob character Hadoop's {@code globStatus} interprets. */
  public static boolean isGlob(String text) {
    return text.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  /**
   * Expands {@code entry}, already resolved against the manifest's folder.
   *
   * @throws IOException when the file system cannot be listed
   */
  public Expansion expand(Path entry) throws IOException {
    Path qualified = HadoopFiles.qualify(entry, conf);
    FileSystem fs = HadoopFiles.fileSystem(qualified, conf);
    String text = qualified.toString();
    if (isGlob(text)) {
      return new Expansion(Kind.GLOB, glob(fs, qualified), true);
    }
    FileStatus status;
    try {
      status = fs.getFileStatus(qualified);
    } catch (FileNotFoundException e) {
      return new Expansion(Kind.FILE, List.of(text), false);
    }
    if (!status.isDirectory()) {
      return new Expansion(Kind.FILE, List.of(text), true);
    }
    TreeSet<String> files = new TreeSet<>();
    for (FileStatus child : fs.listStatus(qualified)) {
      if (child.isFile() && isImage(child.getPath())) {
        files.add(child.getPath().toString());
      }
    }
    return new Expansion(Kind.FOLDER, List.copyOf(files), true);
  }

  /** True when the name ends in one of {@link #IMAGE_EXTENSIONS}. */
  public static boolean isImage(Path path) {
    String name = path.getName();
    int dot = name.lastIndexOf('.');
    return dot > 0
        && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))
        && !name.startsWith(".")
        && !name.startsWith("_");
  }

  private List<String> glob(FileSystem fs, Path pattern) throws IOException {
    String text = pattern.toUri().getPath();
    int deep = text.indexOf("/**/");
    TreeSet<String> files = new TreeSet<>();
    if (deep < 0) {
      FileStatus[] matches = fs.globStatus(pattern);
      if (matches != null) {
        for (FileStatus match : matches) {
          if (match.isFile()) {
            files.add(match.getPath().toString());
          }
        }
      }
      return List.copyOf(files);
    }
    // photos/**/x/*.png: every folder matching photos/, listed recursively, keeping the files whose
    // path below it ends in components matching x/*.png.
    Path rootPattern =
        new Path(
            pattern.toUri().getScheme(), pattern.toUri().getAuthority(), text.substring(0, deep));
    String rest = text.substring(deep + "/**/".length());
    String[] tail = rest.split("/");
    List<GlobPattern> tailPatterns = new ArrayList<>();
    for (String part : tail) {
      tailPatterns.add(new GlobPattern(part));
    }
    FileStatus[] roots = fs.globStatus(rootPattern);
    if (roots == null) {
      return List.of();
    }
    for (FileStatus root : roots) {
      if (!root.isDirectory()) {
        continue;
      }
      String rootPath = root.getPath().toUri().getPath();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root.getPath(), true);
      while (it.hasNext()) {
        Path file = it.next().getPath();
        String relative = file.toUri().getPath().substring(rootPath.length());
        String[] parts = relative.replaceFirst("^/", "").split("/");
        if (parts.length < tailPatterns.size()) {
          continue;
        }
        boolean match = true;
        for (int i = 0; i < tailPatterns.size() && match; i++) {
          String part = parts[parts.length - tailPatterns.size() + i];
          match = tailPatterns.get(i).matches(part);
        }
        if (match) {
          files.add(file.toString());
        }
      }
    }
    return List.copyOf(files);
  }
}
