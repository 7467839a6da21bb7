package org.stylesweep.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML text to a Jackson tree, with anchors ({@code &cw 5}), aliases ({@code *cw}) and merge keys
 * ({@code <<: *base}) resolved. Jackson's own YAML reader returns an alias as the text of its name,
 * so a manifest using them got "expected a number" for {@code 'cw'}; SnakeYAML composes the node
 * graph with the aliases resolved, and this class turns it into a tree.
 *
 * <p>Plain scalars are typed exactly as Jackson's YAML reader types them (numbers, booleans, null),
 * with two additions: YAML's {@code .nan} / {@code .inf} / {@code -.inf} become non-finite numbers
 * (the parameter table then says they are not allowed), and a decimal literal too large for a
 * double ({@code 1e400}) keeps its exact value, so the message can say so.
 *
 * <p>Expansion is bounded (a "billion laughs" file is refused): at most {@value #MAX_ALIASES}
 * aliases to collections and {@value #MAX_NODES} values in the expanded tree; an alias that refers
 * to the collection containing it is refused.
 */
final class YamlTree {
  private YamlTree() {}

  /** Aliases to collections allowed in one document. */
  static final int MAX_ALIASES = 100;

  /** Values allowed in the expanded tree. */
  static final int MAX_NODES = 100_000;

  private static final YAMLMapper SCALARS = new YAMLMapper();

  /** A document that cannot be read: the message says where and why. */
  static final class BadYaml extends Exception {
    private static final long serialVersionUID = 1L;

    BadYaml(String message) {
      super(message);
    }
  }

  /**
   * The tree of one YAML document; null for an empty document.
   *
   * @throws BadYaml on a syntax error (with line and column), a duplicate key, or an expansion over
   *     the bounds
   */
  static JsonNode read(String text) throws BadYaml {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setAllowDuplicateKeys(false);
    options.setCodePointLimit(10 * 1024 * 1024);
    Node root;
    try {
      root = new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw new BadYaml("not valid YAML" + where(e.getProblemMark()) + ": " + e.getProblem());
    } catch (YAMLException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("aliases")) {
        throw new BadYaml(
            "the YAML uses more than "
                + MAX_ALIASES
                + " aliases (*name) to lists or mappings; write the values out instead");
      }
      throw new BadYaml("not valid YAML: " + message);
    }
    return root == null ? null : new Converter().convert(root);
  }

  private static String where(Mark mark) {
    return mark == null
        ? ""
        : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static final class Converter {
    private final Map<Node, Boolean> open = new IdentityHashMap<>();
    private int nodes;

    JsonNode convert(Node node) throws BadYaml {
      if (++nodes > MAX_NODES) {
        throw new BadYaml(
            "the YAML expands to more than "
                + MAX_NODES
                + " values through its anchors and aliases (&name / *name); write the values out instead");
      }
      if (node instanceof ScalarNode scalar) {
        return scalar(scalar);
      }
      if (open.put(node, Boolean.TRUE) != null) {
        throw new BadYaml(
            "not valid YAML"
                + where(node.getStartMark())
                + ": an alias (*name) refers to the list or mapping that contains it");
      }
      try {
        if (node instanceof SequenceNode sequence) {
          ArrayNode array = JsonNodeFactory.instance.arrayNode();
          for (Node element : sequence.getValue()) {
            array.add(convert(element));
          }
          return array;
        }
        return mapping((MappingNode) node);
      } finally {
        open.remove(node);
      }
    }

    private ObjectNode mapping(MappingNode node) throws BadYaml {
      ObjectNode object = JsonNodeFactory.instance.objectNode();
      ObjectNode merged = JsonNodeFactory.instance.objectNode();
      for (NodeTuple tuple : node.getValue()) {
        Node keyNode = tuple.getKeyNode();
        if (keyNode instanceof ScalarNode k
            && (Tag.MERGE.equals(k.getTag()) || "<<".equals(k.getValue()))) {
          merge(merged, convert(tuple.getValueNode()), keyNode);
          continue;
        }
        if (!(keyNode instanceof ScalarNode k)) {
          throw new BadYaml(
              "not valid YAML"
                  + where(keyNode.getStartMark())
                  + ": a key must be a plain name, not a list or mapping");
        }
        String key = k.getValue();
        if (object.has(key)) {
          throw new BadYaml(
              "not valid YAML" + where(keyNode.getStartMark()) + ": duplicate key '" + key + "'");
        }
        object.set(key, convert(tuple.getValueNode()));
      }
      // Keys written in the mapping win over merged ones (YAML's merge-key rule).
      merged
          .properties()
          .forEach(
              e -> {
                if (!object.has(e.getKey())) {
                  object.set(e.getKey(), e.getValue());
                }
              });
      return object;
    }

    private static void merge(ObjectNode into, JsonNode value, Node at) throws BadYaml {
      if (value.isObject()) {
        value
            .properties()
            .forEach(
                e -> {
                  if (!into.has(e.getKey())) {
                    into.set(e.getKey(), e.getValue());
                  }
                });
      } else if (value.isArray()) {
        for (JsonNode element : value) {
          merge(into, element, at);
        }
      } else {
        throw new BadYaml(
            "not valid YAML"
                + where(at.getStartMark())
                + ": a merge key (<<) needs a mapping or a list of mappings, e.g. <<: *defaults");
      }
    }

    private static JsonNode scalar(ScalarNode scalar) throws BadYaml {
      String text = scalar.getValue();
      if (scalar.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
        return TextNode.valueOf(text);
      }
      String special = text.toLowerCase(Locale.ROOT);
      switch (special) {
        case ".nan":
          return DoubleNode.valueOf(Double.NaN);
        case ".inf", "+.inf":
          return DoubleNode.valueOf(Double.POSITIVE_INFINITY);
        case "-.inf":
          return DoubleNode.valueOf(Double.NEGATIVE_INFINITY);
        default:
          break;
      }
      JsonNode typed;
      try {
        typed = text.isEmpty() ? JsonNodeFactory.instance.nullNode() : SCALARS.readTree(text);
      } catch (JsonProcessingException e) {
        return TextNode.valueOf(text);
      }
      if (typed == null || typed.isMissingNode() || typed.isContainerNode()) {
        return typed == null || typed.isMissingNode()
            ? JsonNodeFactory.instance.nullNode()
            : TextNode.valueOf(text);
      }
      if (typed.isFloatingPointNumber() && !Double.isFinite(typed.doubleValue())) {
        try {
          return DecimalNode.valueOf(new BigDecimal(text.replace("_", "")));
        } catch (NumberFormatException e) {
          return typed;
        }
      }
      return typed;
    }
  }
}
