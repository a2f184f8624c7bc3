import { isSeq } from 'yaml';
import type { YAMLMap } from 'yaml';
import { invalidIdMessage, isValidId } from './content.ids.js';
import type { ProblemLog } from './content.problems.js';
import type { Card } from './content.types.js';
import { asMap, describeNode, FieldReader, parseYamlFile, readText } from './content.yaml.js';
import type { YamlFile } from './content.yaml.js';

// One `topics/<id>.cards.yaml` file: the topic's review cards.

const CARD_KEYS = ['id', 'type', 'q', 'a', 'choices', 'answer'];
const CARD_TYPES = ['basic', 'choice'] as const;
export const MIN_CARDS = 5;
const CHOICES = { min: 2, max: 6 };

/**
 * Reads a topic's cards, reporting each problem at its line. Returns the cards that are complete;
 * card ids must be unique within the topic because review history is keyed by `<topic>/<card>`.
 */
export function parseCardsFile(text: string, file: string, topicId: string, log: ProblemLog): Card[] {
  const yaml = parseYamlFile(text.replace(/^\uFEFF/, ''), file, log);
  if (!yaml) return [];
  const items = yaml.root === null || yaml.root === undefined ? [] : cardNodes(yaml);
  if (!items) return [];
  if (items.length < MIN_CARDS) log.error(file, 1, `needs at least ${MIN_CARDS} cards, got ${items.length}`);
  const cards: Card[] = [];
  const lineOfId = new Map<string, number>();
  items.forEach((item, index) => {
    const map = asMap(yaml, item, `card ${index + 1}`);
    const card = map && readCard(yaml, map, index, topicId);
    if (!card) return;
    const earlier = lineOfId.get(card.id);
    if (earlier !== undefined) {
      log.error(file, yaml.lineOf(map), `duplicate card id "${card.id}" (also on line ${earlier})`);
      return;
    }
    lineOfId.set(card.id, yaml.lineOf(map));
    cards.push(card);
  });
  return cards;
}

function cardNodes(yaml: YamlFile): unknown[] | undefined {
  if (isSeq(yaml.root)) return yaml.root.items;
  yaml.log.error(
    yaml.file,
    yaml.lineOf(yaml.root),
    `a cards file must be a list of cards, got ${describeNode(yaml.root)}`,
  );
  return undefined;
}

function readCard(yaml: YamlFile, map: YAMLMap, index: number, topicId: string): Card | undefined {
  const rawId = map.get('id');
  const label = typeof rawId === 'string' && rawId ? `card "${rawId}"` : `card ${index + 1}`;
  const fields = new FieldReader(yaml, map, label, CARD_KEYS);
  const id = fields.text('id');
  if (id && !isValidId(id.value)) fields.problem(id.line, invalidIdMessage('card id', id.value));
  const typeText = fields.text('type', true);
  const type = CARD_TYPES.find((name) => name === (typeText?.value ?? 'basic'));
  if (typeText && !type) {
    fields.problem(typeText.line, `"type" must be one of ${CARD_TYPES.join(', ')}, got "${typeText.value}"`);
  }
  const question = fields.text('q');
  const answer = fields.text('a');
  const choice = type === 'choice' ? readChoices(fields, yaml) : ignoreChoices(fields);
  if (!id || !isValidId(id.value) || !type || !question || !answer || !choice) return undefined;
  const card: Card = {
    key: `${topicId}/${id.value}`,
    id: id.value,
    topicId,
    type,
    question: question.value,
    answer: answer.value,
  };
  if (type === 'choice') Object.assign(card, choice);
  return card;
}

/** Choices and the 0-based index of the right one; undefined when the card cannot be asked. */
function readChoices(
  fields: FieldReader,
  yaml: YamlFile,
): { choices: string[]; correct: number } | undefined {
  const choiceNodes = fields.list('choices');
  const correct = fields.number('answer');
  if (!choiceNodes) return undefined;
  const choices: string[] = [];
  for (const node of choiceNodes) {
    const choice = readText(yaml, node, 'each choice');
    if (!choice) continue;
    if (choices.includes(choice.value)) fields.problem(choice.line, `duplicate choice "${choice.value}"`);
    choices.push(choice.value);
  }
  if (choiceNodes.length < CHOICES.min || choiceNodes.length > CHOICES.max) {
    const line = fields.lineOfKey('choices');
    fields.problem(line, `"choices" needs ${CHOICES.min}–${CHOICES.max} entries, got ${choiceNodes.length}`);
    return undefined;
  }
  if (!correct) return undefined;
  if (!Number.isInteger(correct.value) || correct.value < 0 || correct.value >= choices.length) {
    const range = `0–${choices.length - 1}`;
    fields.problem(
      correct.line,
      `"answer" must be a 0-based index into "choices" (${range}), got ${correct.value}`,
    );
    return undefined;
  }
  return { choices, correct: correct.value };
}

/** A basic card with choices is almost always a forgotten `type: choice`: say so instead of silently ignoring. */
function ignoreChoices(fields: FieldReader): Record<string, never> {
  for (const key of ['choices', 'answer']) {
    if (fields.has(key)) {
      fields.warning(
        fields.lineOfKey(key),
        `"${key}" is only used by choice cards (ignored); add "type: choice"`,
      );
    }
  }
  return {};
}
