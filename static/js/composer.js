// Newsletter composer: a rich-text editor (ProseMirror/Tiptap from the vendored
// django-prose-editor bundle) over each message textarea, with the page's own translated
// toolbar and dialogs. No inline script or style (CSP): Tiptap's injected CSS is off and
// lives in css/composer.css. Without JavaScript the textareas stay and take HTML.
import {
  Editor, Document, Paragraph, Text, HardBreak, Heading, Bold, Italic, Link, BulletList,
  OrderedList, ListItem, Blockquote, HorizontalRule, Image, History, Dropcursor, Gapcursor,
} from "../vendor/django-prose-editor/editor.js";

const SAFE_URL = /^(https?:\/\/[^\s]+|mailto:[^\s@]+@[^\s]+)$/i;

function extensions() {
  return [
    Document, Paragraph, Text, HardBreak, Dropcursor, Gapcursor, History,
    Heading.configure({ levels: [2, 3] }), Bold, Italic, BulletList, OrderedList, ListItem,
    Blockquote, HorizontalRule, Image,
    Link.configure({
      openOnClick: false, autolink: true, linkOnPaste: true,
      protocols: ["mailto"], HTMLAttributes: { target: null, rel: null },
    }),
  ];
}

function createEditor(textarea) {
  const holder = document.createElement("div");
  holder.className = "rich-editor";
  textarea.before(holder);
  textarea.hidden = true;
  const labelId = textarea.id + "_label";
  const help = document.getElementById(textarea.id + "_helptext");
  const editor = new Editor({
    element: holder,
    extensions: extensions(),
    content: textarea.value,
    injectCSS: false,
    editorProps: {
      attributes: {
        role: "textbox", "aria-multiline": "true", "aria-labelledby": labelId,
        ...(help ? { "aria-describedby": help.id } : {}),
        class: "rich-editor-area",
      },
    },
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = /^<p><\/p>$/.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  // The label still points at the (hidden) textarea: clicking it focuses the editor.
  document.querySelectorAll(`label[for="${textarea.id}"]`).forEach((label) => {
    label.addEventListener("click", (event) => {
      event.preventDefault();
      editor.commands.focus();
    });
  });
  return editor;
}

function ask(dialog, setup) {
  // Opens a <dialog>, resolves with the button's value once it closes.
  return new Promise((resolve) => {
    setup(dialog);
    dialog.querySelectorAll("[role=alert]").forEach((el) => { el.hidden = true; });
    dialog.returnValue = "";
    dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}

function validOnSubmit(dialog, check) {
  // Keeps a dialog open while its fields are not right, and says why.
  dialog.querySelector("form").addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.value !== "ok") return;
    const problem = check();
    if (problem) {
      event.preventDefault();
      problem.hidden = false;
    }
  });
}

const linkDialog = document.getElementById("link-dialog");
const imageDialog = document.getElementById("image-dialog");

validOnSubmit(linkDialog, () => {
  const url = linkDialog.querySelector("#link-url").value.trim();
  const needsText = linkDialog.dataset.mode === "button";
  const text = linkDialog.querySelector("#link-text").value.trim();
  return SAFE_URL.test(url) && (!needsText || text) ? null
    : linkDialog.querySelector("#link-error");
});
validOnSubmit(imageDialog, () => {
  const url = imageDialog.querySelector("#image-url").value.trim();
  const alt = imageDialog.querySelector("#image-alt").value.trim();
  return /^https?:\/\//i.test(url) && alt ? null : imageDialog.querySelector("#image-error");
});
imageDialog.addEventListener("click", (event) => {
  const choice = event.target.closest(".image-choice");
  if (!choice) return;
  imageDialog.querySelector("#image-url").value = choice.dataset.src;
  imageDialog.querySelector("#image-alt").value = choice.dataset.alt;
  imageDialog.querySelector("#image-alt").focus();
});

async function editLink(editor, mode) {
  const current = editor.getAttributes("link");
  const { from, to } = editor.state.selection;
  const selected = editor.state.doc.textBetween(from, to, " ");
  const answer = await ask(linkDialog, (dialog) => {
    dialog.dataset.mode = mode;
    const title = dialog.querySelector("h2");
    title.textContent = mode === "button" ? title.dataset.titleButton : title.dataset.titleLink;
    dialog.querySelector("#link-url").value = current.href || "";
    dialog.querySelector("#link-text").value = selected;
    dialog.querySelector("[data-for=button]").hidden = mode !== "button";
    dialog.querySelector("[data-for=link]").hidden = !current.href;
  });
  const chain = editor.chain().focus();
  if (answer === "remove") {
    chain.extendMarkRange("link").unsetLink().run();
  } else if (answer === "ok") {
    const href = linkDialog.querySelector("#link-url").value.trim();
    if (mode === "button") {
      const words = linkDialog.querySelector("#link-text").value.trim();
      chain.insertContent([
        { type: "paragraph", content: [{ type: "text", text: words, marks: [
          { type: "link", attrs: { href, class: "mail-button" } }] }] },
      ]).run();
    } else if (editor.state.selection.empty && !current.href) {
      chain.insertContent({ type: "text", text: href, marks: [{ type: "link", attrs: { href } }] })
        .run();
    } else {
      chain.extendMarkRange("link").setLink({ href }).run();
    }
  } else {
    editor.commands.focus();
  }
}

async function insertImage(editor) {
  const answer = await ask(imageDialog, (dialog) => {
    dialog.querySelector("#image-url").value = "";
    dialog.querySelector("#image-alt").value = "";
  });
  if (answer === "ok") {
    editor.chain().focus().setImage({
      src: imageDialog.querySelector("#image-url").value.trim(),
      alt: imageDialog.querySelector("#image-alt").value.trim(),
    }).run();
  } else {
    editor.commands.focus();
  }
}

const COMMANDS = {
  heading2: (e) => e.chain().focus().toggleHeading({ level: 2 }).run(),
  heading3: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
  bold: (e) => e.chain().focus().toggleBold().run(),
  italic: (e) => e.chain().focus().toggleItalic().run(),
  bulletList: (e) => e.chain().focus().toggleBulletList().run(),
  orderedList: (e) => e.chain().focus().toggleOrderedList().run(),
  blockquote: (e) => e.chain().focus().toggleBlockquote().run(),
  rule: (e) => e.chain().focus().setHorizontalRule().run(),
  undo: (e) => e.chain().focus().undo().run(),
  redo: (e) => e.chain().focus().redo().run(),
  link: (e) => editLink(e, "link"),
  button: (e) => editLink(e, "button"),
  image: (e) => insertImage(e),
  token: (e, button) => e.chain().focus().insertContent(button.dataset.token).run(),
};
const ACTIVE = {
  heading2: (e) => e.isActive("heading", { level: 2 }),
  heading3: (e) => e.isActive("heading", { level: 3 }),
  bold: (e) => e.isActive("bold"),
  italic: (e) => e.isActive("italic"),
  bulletList: (e) => e.isActive("bulletList"),
  orderedList: (e) => e.isActive("orderedList"),
  blockquote: (e) => e.isActive("blockquote"),
  link: (e) => e.isActive("link"),
};

function wireToolbar(toolbar, editor) {
  toolbar.hidden = false;
  const buttons = [...toolbar.querySelectorAll("button[data-command]")];
  const refresh = () => buttons.forEach((button) => {
    const active = ACTIVE[button.dataset.command];
    if (active) button.setAttribute("aria-pressed", active(editor) ? "true" : "false");
  });
  // A pointer press keeps the focus and the selection in the text (keyboard users still
  // reach the toolbar with Tab).
  toolbar.addEventListener("mousedown", (event) => {
    if (event.target.closest("button")) event.preventDefault();
  });
  toolbar.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-command]");
    if (button) COMMANDS[button.dataset.command](editor, button);
  });
  // One tab stop for the toolbar, arrows move between its buttons (WAI-ARIA toolbar).
  buttons.forEach((b, i) => { b.tabIndex = i === 0 ? 0 : -1; });
  toolbar.addEventListener("keydown", (event) => {
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -at, End: buttons.length - 1 - at }[
      event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = buttons[(at + step + buttons.length) % buttons.length];
    buttons.forEach((b) => { b.tabIndex = -1; });
    next.tabIndex = 0;
    next.focus();
  });
  editor.on("selectionUpdate", refresh);
  editor.on("transaction", refresh);
  refresh();
}

document.querySelectorAll("textarea[data-rich-editor]").forEach((textarea) => {
  const field = textarea.closest("[data-editor-for]");
  const editor = createEditor(textarea);
  const toolbar = field && field.querySelector(".editor-toolbar");
  if (toolbar) wireToolbar(toolbar, editor);
  document.documentElement.classList.add("rich-ready");
});
