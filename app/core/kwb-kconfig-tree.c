/* kwb-kconfig-tree.c — a small Kconfig scanner: which option depends on and selects what
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The config doctor has to say *why* olddefconfig dropped an option. The
 * kernel's own conf tool knows, but does not tell. So we read the Kconfig
 * files ourselves, from the top-level Kconfig through every `source` line
 * (with $(SRCARCH) substituted, so only one architecture's options are seen),
 * keeping for each symbol:
 *   - its dependencies: `depends on` lines plus the enclosing `if`, `menu` and
 *     `choice` conditions (also inherited through `source`),
 *   - whether it has a prompt (else only a `select` or a default sets it),
 *   - which symbols `select` it.
 * Defaults, ranges and `visible if` are ignored: the doctor needs the
 * blocking reasons a user can act on, not a second Kconfig implementation.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "kwb-kconfig-tree.h"

typedef struct {
  char      *name;
  GPtrArray *definitions; /* char *: the condition of one definition, "" = always */
  GPtrArray *selectors;   /* char *: "SYM" or "SYM if EXPR" */
  gboolean   has_prompt;
} Symbol;

struct _KwbKconfigTree
{
  GHashTable *symbols; /* name → Symbol */
  char       *srctree;
  char       *srcarch;
};

typedef enum {
  BLOCK_IF,
  BLOCK_MENU,
  BLOCK_CHOICE,
} BlockType;

typedef struct {
  BlockType  type;
  GString   *condition;
} Block;

typedef enum {
  CURRENT_NONE,
  CURRENT_CONFIG,
  CURRENT_BLOCK,   /* a menu or choice just opened: its `depends on` is the block's */
  CURRENT_COMMENT,
} CurrentKind;

typedef struct {
  KwbKconfigTree *tree;
  GPtrArray      *blocks;       /* Block * */
  CurrentKind     current;
  Symbol         *symbol;
  GString        *definition;   /* the current definition's own depends */
  guint           depth;
} ParseState;

static void
symbol_free (gpointer data)
{
  Symbol *sym = data;

  g_free (sym->name);
  g_ptr_array_unref (sym->definitions);
  g_ptr_array_unref (sym->selectors);
  g_free (sym);
}

static void
block_free (gpointer data)
{
  Block *block = data;

  g_string_free (block->condition, TRUE);
  g_free (block);
}

static Symbol *
ensure_symbol (KwbKconfigTree *tree,
               const char     *name)
{
  Symbol *sym = g_hash_table_lookup (tree->symbols, name);

  if (sym == NULL)
    {
      sym = g_new0 (Symbol, 1);
      sym->name = g_strdup (name);
      sym->definitions = g_ptr_array_new_with_free_func (g_free);
      sym->selectors = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (tree->symbols, sym->name, sym);
    }
  return sym;
}

static void
append_condition (GString    *to,
                  const char *expression)
{
  if (expression == NULL || *expression == '\0')
    return;
  if (to->len > 0)
    g_string_append (to, " && ");
  g_string_append_printf (to, "(%s)", expression);
}

/* Closes the definition being read: its condition is every enclosing block's
 * plus its own depends. */
static void
finish_definition (ParseState *state)
{
  if (state->current == CURRENT_CONFIG && state->symbol != NULL)
    {
      GString *all = g_string_new (NULL);

      for (guint i = 0; i < state->blocks->len; i++)
        {
          Block *block = g_ptr_array_index (state->blocks, i);

          append_condition (all, block->condition->str);
        }
      append_condition (all, state->definition->str);
      g_ptr_array_add (state->symbol->definitions, g_string_free (all, FALSE));
    }
  state->current = CURRENT_NONE;
  state->symbol = NULL;
  g_string_truncate (state->definition, 0);
}

static guint
indentation (const char *line)
{
  guint n = 0;

  for (; *line == ' ' || *line == '\t'; line++)
    n = (*line == '\t') ? (n + 8) & ~7u : n + 1;
  return n;
}

static char *
first_word (const char  *line,
            const char **rest)
{
  const char *end = line;

  while (*end != '\0' && !g_ascii_isspace (*end))
    end++;
  *rest = end;
  while (g_ascii_isspace (**rest))
    (*rest)++;
  return g_strndup (line, end - line);
}

/* "select FOO if BAR" → FOO and "BAR". */
static void
split_if (const char  *rest,
          char       **head,
          char       **condition)
{
  const char *p = rest;

  *condition = NULL;
  while (*p != '\0')
    {
      if ((p == rest || g_ascii_isspace (p[-1])) && g_str_has_prefix (p, "if") &&
          (p[2] == '\0' || g_ascii_isspace (p[2])))
        {
          *head = g_strstrip (g_strndup (rest, p - rest));
          *condition = g_strstrip (g_strdup (p + 2));
          return;
        }
      if (*p == '"')
        {
          p = strchr (p + 1, '"');
          if (p == NULL)
            break;
        }
      p++;
    }
  *head = g_strstrip (g_strdup (rest));
}

static char *
expand_path (ParseState *state,
             const char *raw)
{
  g_autofree char *path = g_strdup (raw);
  const char *vars[][2] = {
    { "$(SRCARCH)", state->tree->srcarch },
    { "$(ARCH)", state->tree->srcarch },
    { "$(HEADER_ARCH)", state->tree->srcarch },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      char *at;

      while ((at = strstr (path, vars[i][0])) != NULL)
        {
          g_autofree char *prefix = g_strndup (path, at - path);
          char *next = g_strconcat (prefix, vars[i][1], at + strlen (vars[i][0]), NULL);

          g_free (path);
          path = next;
        }
    }
  return g_steal_pointer (&path);
}

static void parse_text (ParseState *state, const char *text, const char *dir);

static void
parse_file (ParseState *state,
            const char *relative,
            const char *dir)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (state->tree->srctree == NULL || state->depth > 32)
    return;
  path = g_build_filename (state->tree->srctree, relative, NULL);
  /* Kconfig sources are relative to the tree's top; rsource to the file. */
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) && dir != NULL)
    {
      g_free (path);
      path = g_build_filename (state->tree->srctree, dir, relative, NULL);
    }
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return;

  state->depth++;
  {
    g_autofree char *subdir = g_path_get_dirname (relative);
    parse_text (state, text, subdir);
  }
  state->depth--;
}

static void
pop_block (ParseState *state,
           BlockType   type)
{
  finish_definition (state);
  for (guint i = state->blocks->len; i > 0; i--)
    {
      Block *block = g_ptr_array_index (state->blocks, i - 1);

      if (block->type == type)
        {
          g_ptr_array_set_size (state->blocks, i - 1);
          return;
        }
    }
}

static void
push_block (ParseState *state,
            BlockType   type,
            const char *condition)
{
  Block *block = g_new0 (Block, 1);

  finish_definition (state);
  block->type = type;
  block->condition = g_string_new (NULL);
  append_condition (block->condition, condition);
  g_ptr_array_add (state->blocks, block);
}

static gboolean
is_type_word (const char *word)
{
  return g_str_equal (word, "bool") || g_str_equal (word, "tristate") ||
         g_str_equal (word, "string") || g_str_equal (word, "int") ||
         g_str_equal (word, "hex") || g_str_equal (word, "boolean");
}

static void
parse_text (ParseState *state,
            const char *text,
            const char *dir)
{
  g_auto(GStrv) raw_lines = g_strsplit (text, "\n", -1);
  gboolean in_help = FALSE;
  guint help_indent = 0;
  GString *joined = g_string_new (NULL);

  for (guint i = 0; raw_lines[i] != NULL; i++)
    {
      const char *line;
      g_autofree char *word = NULL;
      const char *rest;
      guint indent;

      /* Join continuation lines ending in a backslash. */
      g_string_assign (joined, raw_lines[i]);
      while (joined->len > 0 && joined->str[joined->len - 1] == '\\' && raw_lines[i + 1] != NULL)
        {
          g_string_truncate (joined, joined->len - 1);
          g_string_append_c (joined, ' ');
          g_string_append (joined, raw_lines[++i]);
        }

      line = joined->str;
      indent = indentation (line);
      while (g_ascii_isspace (*line))
        line++;

      if (in_help)
        {
          if (*line == '\0' || indent > help_indent)
            continue;
          in_help = FALSE;
        }
      if (*line == '\0' || *line == '#')
        continue;

      word = first_word (line, &rest);

      if (g_str_equal (word, "help") || g_str_equal (word, "---help---"))
        {
          in_help = TRUE;
          help_indent = indent;
        }
      else if (g_str_equal (word, "config") || g_str_equal (word, "menuconfig"))
        {
          g_autofree char *name = g_strstrip (g_strdup (rest));

          finish_definition (state);
          state->current = CURRENT_CONFIG;
          state->symbol = ensure_symbol (state->tree, name);
        }
      else if (g_str_equal (word, "depends"))
        {
          const char *expr = rest;

          if (g_str_has_prefix (expr, "on"))
            expr += 2;
          while (g_ascii_isspace (*expr))
            expr++;
          if (state->current == CURRENT_CONFIG)
            append_condition (state->definition, expr);
          else if (state->current == CURRENT_BLOCK && state->blocks->len > 0)
            {
              Block *block = g_ptr_array_index (state->blocks, state->blocks->len - 1);

              append_condition (block->condition, expr);
            }
        }
      else if (is_type_word (word) || g_str_equal (word, "prompt"))
        {
          if (state->current == CURRENT_CONFIG && *rest == '"')
            state->symbol->has_prompt = TRUE;
        }
      else if (g_str_equal (word, "select"))
        {
          g_autofree char *target = NULL;
          g_autofree char *condition = NULL;

          split_if (rest, &target, &condition);
          if (state->current == CURRENT_CONFIG && *target != '\0')
            {
              Symbol *selected = ensure_symbol (state->tree, target);

              if (condition != NULL)
                g_ptr_array_add (selected->selectors,
                                 g_strdup_printf ("%s if %s", state->symbol->name, condition));
              else
                g_ptr_array_add (selected->selectors, g_strdup (state->symbol->name));
            }
        }
      else if (g_str_equal (word, "if"))
        push_block (state, BLOCK_IF, rest);
      else if (g_str_equal (word, "endif"))
        pop_block (state, BLOCK_IF);
      else if (g_str_equal (word, "menu"))
        {
          push_block (state, BLOCK_MENU, NULL);
          state->current = CURRENT_BLOCK;
        }
      else if (g_str_equal (word, "endmenu"))
        pop_block (state, BLOCK_MENU);
      else if (g_str_equal (word, "choice"))
        {
          push_block (state, BLOCK_CHOICE, NULL);
          state->current = CURRENT_BLOCK;
        }
      else if (g_str_equal (word, "endchoice"))
        pop_block (state, BLOCK_CHOICE);
      else if (g_str_equal (word, "comment") || g_str_equal (word, "mainmenu"))
        {
          finish_definition (state);
          state->current = CURRENT_COMMENT;
        }
      else if (g_str_equal (word, "source") || g_str_equal (word, "osource") ||
               g_str_equal (word, "rsource") || g_str_equal (word, "orsource"))
        {
          g_autofree char *quoted = g_strstrip (g_strdup (rest));
          g_autofree char *path = NULL;
          gsize len = strlen (quoted);

          finish_definition (state);
          if (len >= 2 && quoted[0] == '"' && quoted[len - 1] == '"')
            {
              quoted[len - 1] = '\0';
              path = expand_path (state, quoted + 1);
              if (word[0] == 'r' || (word[0] == 'o' && word[1] == 'r'))
                {
                  g_autofree char *rel = g_build_filename (dir, path, NULL);
                  parse_file (state, rel, NULL);
                }
              else
                parse_file (state, path, dir);
            }
        }
    }

  finish_definition (state);
  g_string_free (joined, TRUE);
}

static KwbKconfigTree *
tree_new (const char *srctree,
          const char *srcarch)
{
  KwbKconfigTree *tree = g_new0 (KwbKconfigTree, 1);

  tree->symbols = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, symbol_free);
  tree->srctree = g_strdup (srctree);
  tree->srcarch = g_strdup (srcarch ? srcarch : "x86");
  return tree;
}

static void
parse_root (KwbKconfigTree *tree,
            const char     *text)
{
  ParseState state = { 0 };

  state.tree = tree;
  state.blocks = g_ptr_array_new_with_free_func (block_free);
  state.definition = g_string_new (NULL);
  if (text != NULL)
    parse_text (&state, text, ".");
  else
    parse_file (&state, "Kconfig", ".");
  g_ptr_array_unref (state.blocks);
  g_string_free (state.definition, TRUE);
}

/**
 * kwb_kconfig_tree_load:
 * @srctree: a kernel source tree
 * @srcarch: the arch/ directory to read (x86)
 *
 * Reads the Kconfig files reachable from @srctree/Kconfig. Takes about a
 * second on a full tree; the result can be reused for any number of configs.
 */
KwbKconfigTree *
kwb_kconfig_tree_load (const char  *srctree,
                       const char  *srcarch,
                       GError     **error)
{
  g_autofree char *top = g_build_filename (srctree, "Kconfig", NULL);
  KwbKconfigTree *tree;

  if (!g_file_test (top, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("%s has no Kconfig file: not a kernel source tree"), srctree);
      return NULL;
    }
  tree = tree_new (srctree, srcarch);
  parse_root (tree, NULL);
  return tree;
}

/* For tests: one Kconfig text, no `source`. */
KwbKconfigTree *
kwb_kconfig_tree_new_from_text (const char *kconfig_text)
{
  KwbKconfigTree *tree = tree_new (NULL, "x86");

  parse_root (tree, kconfig_text);
  return tree;
}

void
kwb_kconfig_tree_free (KwbKconfigTree *tree)
{
  if (tree == NULL)
    return;
  g_hash_table_unref (tree->symbols);
  g_free (tree->srctree);
  g_free (tree->srcarch);
  g_free (tree);
}

guint
kwb_kconfig_tree_get_n_symbols (KwbKconfigTree *tree)
{
  return g_hash_table_size (tree->symbols);
}

static Symbol *
lookup_defined (KwbKconfigTree *tree,
                const char     *name)
{
  Symbol *sym = g_hash_table_lookup (tree->symbols, name);

  /* A symbol only ever named in a select is not defined for this arch. */
  return (sym != NULL && sym->definitions->len > 0) ? sym : NULL;
}

gboolean
kwb_kconfig_tree_has_symbol (KwbKconfigTree *tree,
                             const char     *symbol)
{
  return lookup_defined (tree, symbol) != NULL;
}

gboolean
kwb_kconfig_tree_has_prompt (KwbKconfigTree *tree,
                             const char     *symbol)
{
  Symbol *sym = lookup_defined (tree, symbol);

  return sym != NULL && sym->has_prompt;
}

/**
 * kwb_kconfig_tree_dup_depends:
 *
 * Returns: the condition under which @symbol can be set, as a Kconfig
 * expression; "" when it has none; NULL when the symbol is unknown.
 */
char *
kwb_kconfig_tree_dup_depends (KwbKconfigTree *tree,
                              const char     *symbol)
{
  Symbol *sym = lookup_defined (tree, symbol);
  GString *all;

  if (sym == NULL)
    return NULL;
  for (guint i = 0; i < sym->definitions->len; i++)
    if (*(const char *) g_ptr_array_index (sym->definitions, i) == '\0')
      return g_strdup ("");

  all = g_string_new (NULL);
  for (guint i = 0; i < sym->definitions->len; i++)
    {
      if (i > 0)
        g_string_append (all, " || ");
      if (sym->definitions->len > 1)
        g_string_append_printf (all, "(%s)", (const char *) g_ptr_array_index (sym->definitions, i));
      else
        g_string_append (all, g_ptr_array_index (sym->definitions, i));
    }
  return g_string_free (all, FALSE);
}

/**
 * kwb_kconfig_tree_get_selectors:
 *
 * Returns: (transfer none): "SYM" or "SYM if EXPR" for each select of @symbol
 */
GPtrArray *
kwb_kconfig_tree_get_selectors (KwbKconfigTree *tree,
                                const char     *symbol)
{
  Symbol *sym = g_hash_table_lookup (tree->symbols, symbol);

  return sym ? sym->selectors : NULL;
}

/* ---- expressions ---------------------------------------------------------- */

typedef enum {
  NODE_SYMBOL,
  NODE_NOT,
  NODE_AND,
  NODE_OR,
  NODE_COMPARE,
} NodeType;

typedef struct _Node Node;
struct _Node {
  NodeType  type;
  char     *text;   /* SYMBOL: the name or "literal"; COMPARE: the operator */
  Node     *left;
  Node     *right;
};

typedef struct {
  const char *p;
  char       *token;
} Lexer;

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  node_free (node->left);
  node_free (node->right);
  g_free (node->text);
  g_free (node);
}

static void
lex_next (Lexer *lx)
{
  const char *p = lx->p;
  const char *start;

  g_clear_pointer (&lx->token, g_free);
  while (g_ascii_isspace (*p))
    p++;
  start = p;
  if (*p == '\0')
    {
      lx->p = p;
      return;
    }
  if ((p[0] == '&' && p[1] == '&') || (p[0] == '|' && p[1] == '|') ||
      (p[0] == '!' && p[1] == '=') || (p[0] == '<' && p[1] == '=') || (p[0] == '>' && p[1] == '='))
    p += 2;
  else if (strchr ("()!=<>", *p) != NULL)
    p++;
  else if (*p == '"' || *p == '\'')
    {
      char quote = *p++;

      while (*p != '\0' && *p != quote)
        p++;
      if (*p == quote)
        p++;
    }
  else if (p[0] == '$' && p[1] == '(')
    {
      int level = 0;

      do
        {
          if (*p == '(')
            level++;
          else if (*p == ')')
            level--;
          p++;
        }
      while (*p != '\0' && level > 0);
    }
  else
    {
      while (*p != '\0' && (g_ascii_isalnum (*p) || *p == '_' || *p == '-' || *p == '.'))
        p++;
      if (p == start)
        p++;
    }
  lx->token = g_strndup (start, p - start);
  lx->p = p;
}

static Node *parse_or (Lexer *lx);

static Node *
node_new (NodeType    type,
          const char *text,
          Node       *left,
          Node       *right)
{
  Node *node = g_new0 (Node, 1);

  node->type = type;
  node->text = g_strdup (text);
  node->left = left;
  node->right = right;
  return node;
}

static Node *
parse_atom (Lexer *lx)
{
  Node *node;

  if (lx->token == NULL)
    return node_new (NODE_SYMBOL, "y", NULL, NULL);
  if (g_str_equal (lx->token, "!"))
    {
      lex_next (lx);
      return node_new (NODE_NOT, NULL, parse_atom (lx), NULL);
    }
  if (g_str_equal (lx->token, "("))
    {
      lex_next (lx);
      node = parse_or (lx);
      if (lx->token != NULL && g_str_equal (lx->token, ")"))
        lex_next (lx);
      return node;
    }
  node = node_new (NODE_SYMBOL, lx->token, NULL, NULL);
  lex_next (lx);
  if (lx->token != NULL &&
      (g_str_equal (lx->token, "=") || g_str_equal (lx->token, "!=") ||
       g_str_equal (lx->token, "<") || g_str_equal (lx->token, ">") ||
       g_str_equal (lx->token, "<=") || g_str_equal (lx->token, ">=")))
    {
      g_autofree char *op = g_strdup (lx->token);
      Node *right;

      lex_next (lx);
      right = node_new (NODE_SYMBOL, lx->token ? lx->token : "", NULL, NULL);
      lex_next (lx);
      node = node_new (NODE_COMPARE, op, node, right);
    }
  return node;
}

static Node *
parse_and (Lexer *lx)
{
  Node *node = parse_atom (lx);

  while (lx->token != NULL && g_str_equal (lx->token, "&&"))
    {
      lex_next (lx);
      node = node_new (NODE_AND, NULL, node, parse_atom (lx));
    }
  return node;
}

static Node *
parse_or (Lexer *lx)
{
  Node *node = parse_and (lx);

  while (lx->token != NULL && g_str_equal (lx->token, "||"))
    {
      lex_next (lx);
      node = node_new (NODE_OR, NULL, node, parse_and (lx));
    }
  return node;
}

static Node *
parse_expression (const char *text)
{
  Lexer lx = { text, NULL };
  Node *node;

  lex_next (&lx);
  node = parse_or (&lx);
  g_free (lx.token);
  return node;
}

typedef struct {
  KwbKconfigTree   *tree;
  KwbKconfigLookup  lookup;
  gpointer          user_data;
} Eval;

/* The string value of an atom: literals as written (unquoted), symbols from
 * the config; macros like $(cc-option,…) count as y, since the tools here
 * answered them when the config was made. */
static char *
atom_value (Eval       *ev,
            const char *text)
{
  gsize len = strlen (text);
  const char *value;

  if (len >= 2 && (text[0] == '"' || text[0] == '\'') && text[len - 1] == text[0])
    {
      if (strstr (text, "$(") != NULL)
        return g_strdup ("y");
      return g_strndup (text + 1, len - 2);
    }
  if (text[0] == '$')
    return g_strdup ("y");
  if (g_str_equal (text, "y") || g_str_equal (text, "m") || g_str_equal (text, "n"))
    return g_strdup (text);
  if (g_ascii_isdigit (text[0]) || text[0] == '-')
    return g_strdup (text);
  value = ev->lookup (ev->user_data, text);
  if (value == NULL)
    return g_strdup ("n");
  if (value[0] == '"')
    return g_strndup (value + 1, MAX (strlen (value), 2) - 2);
  return g_strdup (value);
}

static int
tristate (const char *value)
{
  if (g_str_equal (value, "y"))
    return 2;
  if (g_str_equal (value, "m"))
    return 1;
  return 0;
}

static int
eval_node (Eval *ev,
           Node *node)
{
  switch (node->type)
    {
    case NODE_SYMBOL:
      {
        g_autofree char *v = atom_value (ev, node->text);
        return tristate (v);
      }
    case NODE_NOT:
      return 2 - eval_node (ev, node->left);
    case NODE_AND:
      return MIN (eval_node (ev, node->left), eval_node (ev, node->right));
    case NODE_OR:
      return MAX (eval_node (ev, node->left), eval_node (ev, node->right));
    case NODE_COMPARE:
      {
        g_autofree char *a = atom_value (ev, node->left->text);
        g_autofree char *b = atom_value (ev, node->right->text);
        const char *op = node->text;
        int cmp;

        if (g_str_equal (op, "="))
          return g_str_equal (a, b) ? 2 : 0;
        if (g_str_equal (op, "!="))
          return g_str_equal (a, b) ? 0 : 2;
        cmp = (int) CLAMP (g_ascii_strtoll (a, NULL, 0) - g_ascii_strtoll (b, NULL, 0), -1, 1);
        if (g_str_equal (op, "<"))
          return cmp < 0 ? 2 : 0;
        if (g_str_equal (op, ">"))
          return cmp > 0 ? 2 : 0;
        if (g_str_equal (op, "<="))
          return cmp <= 0 ? 2 : 0;
        return cmp >= 0 ? 2 : 0;
      }
    default:
      return 0;
    }
}

/**
 * kwb_kconfig_tree_eval:
 *
 * Returns: the tristate value of @expression: 0 (n), 1 (m) or 2 (y)
 */
int
kwb_kconfig_tree_eval (KwbKconfigTree   *tree,
                       const char       *expression,
                       KwbKconfigLookup  lookup,
                       gpointer          user_data)
{
  Eval ev = { tree, lookup, user_data };
  Node *node;
  int value;

  if (expression == NULL || *expression == '\0')
    return 2;
  node = parse_expression (expression);
  value = eval_node (&ev, node);
  node_free (node);
  return value;
}

static void
add_unique (GPtrArray  *list,
            const char *text)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (g_ptr_array_index (list, i), text))
      return;
  g_ptr_array_add (list, g_strdup (text));
}

/* The leaves that make @node evaluate to the wrong side of @want_true.
 * Symbols this architecture does not define (M68K in FRAME_POINTER's
 * "DEBUG_KERNEL && (M68K || UML || SUPERH) || ARCH_WANT_FRAME_POINTERS")
 * can never be changed, so they are left out. */
static void
collect_blockers (Eval      *ev,
                  Node      *node,
                  gboolean   want_true,
                  GPtrArray *out)
{
  int value = eval_node (ev, node);

  if ((value > 0) == want_true)
    return;

  switch (node->type)
    {
    case NODE_SYMBOL:
      if (lookup_defined (ev->tree, node->text) == NULL)
        break;
      if (want_true)
        add_unique (out, node->text);
      else
        {
          g_autofree char *neg = g_strdup_printf ("!%s", node->text);

          add_unique (out, neg);
        }
      break;
    case NODE_NOT:
      collect_blockers (ev, node->left, !want_true, out);
      break;
    case NODE_AND:
      if (want_true)
        {
          collect_blockers (ev, node->left, TRUE, out);
          collect_blockers (ev, node->right, TRUE, out);
        }
      else
        {
          /* Both sides are true; turning off either would do. */
          collect_blockers (ev, node->left, FALSE, out);
        }
      break;
    case NODE_OR:
      if (want_true)
        {
          collect_blockers (ev, node->left, TRUE, out);
          collect_blockers (ev, node->right, TRUE, out);
        }
      else
        {
          collect_blockers (ev, node->left, FALSE, out);
          collect_blockers (ev, node->right, FALSE, out);
        }
      break;
    case NODE_COMPARE:
      if (lookup_defined (ev->tree, node->left->text) != NULL)
        {
          g_autofree char *text = g_strdup_printf ("%s%s%s", node->left->text,
                                                   want_true ? node->text
                                                   : (g_str_equal (node->text, "=") ? "!=" : "="),
                                                   node->right->text);
          add_unique (out, text);
        }
      break;
    default:
      break;
    }
}

/**
 * kwb_kconfig_tree_dup_blockers:
 *
 * Returns: (transfer full) (nullable): the unmet parts of @symbol's
 * dependencies under the given configuration, as "SYM" (must be on),
 * "!SYM" (must be off) or "SYM=value"; empty when they are met; NULL when
 * @symbol is unknown.
 */
GPtrArray *
kwb_kconfig_tree_dup_blockers (KwbKconfigTree   *tree,
                               const char       *symbol,
                               KwbKconfigLookup  lookup,
                               gpointer          user_data)
{
  g_autofree char *depends = kwb_kconfig_tree_dup_depends (tree, symbol);
  Eval ev = { tree, lookup, user_data };
  GPtrArray *out;
  Node *node;

  if (depends == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func (g_free);
  if (*depends == '\0')
    return out;
  node = parse_expression (depends);
  collect_blockers (&ev, node, TRUE, out);
  node_free (node);
  return out;
}
