import { useId, useState } from 'react';
import { IconStar, IconStarFilled } from '@tabler/icons-react';

/**
 * A 1–5 score as a real radio group (one native radio per star, laid over it): keyboard arrows,
 * screen readers and automation all see ordinary radios with values 1…5.
 */
export function ScoreInput({
  value,
  onChange,
  label,
}: {
  value: number;
  onChange(value: number): void;
  label?: (score: number) => string;
}) {
  const name = useId();
  const [hover, setHover] = useState(0);
  const shown = hover || value;
  return (
    <div className="score-input" role="radiogroup" onMouseLeave={() => setHover(0)}>
      {[1, 2, 3, 4, 5].map((score) => {
        const active = score <= shown;
        const Icon = active ? IconStarFilled : IconStar;
        return (
          <label key={score} className="score-star" data-active={active || undefined} onMouseEnter={() => setHover(score)}>
            <input
              type="radio"
              name={name}
              value={score}
              checked={value === score}
              onChange={() => onChange(score)}
              aria-label={label ? label(score) : String(score)}
            />
            <Icon size={22} stroke={1.5} />
          </label>
        );
      })}
    </div>
  );
}
